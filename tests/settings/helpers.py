"""What every settings test starts from, and the problems a change to it causes."""

from __future__ import annotations

import pytest

from flowkit.settings import SettingsError, load

BASE = {"investigation": "case-1", "vpc_ids": ["vpc-0123456789abcdef0"]}


def problems(**changes: object) -> list[str]:
    """The one-line problems of BASE with ``changes``; fails the test if the settings load."""
    with pytest.raises(SettingsError) as err:
        load({**BASE, **changes})
    return err.value.problems
