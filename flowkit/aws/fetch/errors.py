"""The errors of ``flowlogs fetch``: bad arguments or listings, and runs that ended early."""

from __future__ import annotations

from flowkit.aws.session import AwsError
from flowkit.errors import FAILED


class FetchError(AwsError):
    """Bad arguments or an S3 listing error (one line)."""


class FetchAborted(FetchError):
    """The run ended early (one line): S3 stalled or could not be reached, or nothing was found."""

    status = FAILED
