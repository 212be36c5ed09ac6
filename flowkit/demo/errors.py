"""The demo's own error: the synth failed, or the assembly is not what the kit writes."""

from __future__ import annotations

from flowkit.errors import FAILED, KitError


class DemoError(KitError):
    """One line per problem; the demo could not do its work."""

    status = FAILED
