"""Running ``flowlogs`` in-process as its console script does: exit status, stdout, stderr."""

from __future__ import annotations

import pytest

from flowkit import cli


def flowlogs(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        cli.main(list(args))
    out, err = capsys.readouterr()
    code = done.value.code
    return (code if isinstance(code, int) else 1), out, err
