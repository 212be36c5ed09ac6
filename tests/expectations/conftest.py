"""The hand-designed records (VPC and transit gateway) written in each key layout, once per session."""

from __future__ import annotations

import pytest

from tests.expectations import fixture_records, transit_records
from tests.expectations.buckets import SPECS, Bucket, write_bucket


class Buckets:
    """The fixture records written in each layout, on first use."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.made: dict[str, Bucket] = {}

    def __call__(self, name: str) -> Bucket:
        if name not in self.made:
            self.made[name] = write_bucket(self.factory.mktemp(name), SPECS[name], fixture_records.RECORDS,
                                           transit_records.RECORDS)
        return self.made[name]


@pytest.fixture(scope="session")
def buckets(tmp_path_factory: pytest.TempPathFactory) -> Buckets:
    return Buckets(tmp_path_factory)
