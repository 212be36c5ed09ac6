"""One default text sample (one day before NOW), written once for the sample tests that only read it."""

from __future__ import annotations

import pytest

from flowkit.sample import write_sample
from tests.sample.helpers import NOW, Sample, text_records


@pytest.fixture(scope="package")
def text_sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    root = tmp_path_factory.mktemp("text")
    return root, write_sample(root, days=1, now=NOW)


@pytest.fixture(scope="package")
def records(text_sample: Sample) -> list[dict[str, str]]:
    return [rec for _, rec in text_records(text_sample[0])]
