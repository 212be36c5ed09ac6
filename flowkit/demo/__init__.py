"""``flowlogs demo``: what the kit deploys, and what its saved queries find, without AWS.

1. The CDK CLI synthesizes the app (:mod:`.synth`: ``npx cdk synth --all -q`` in a subprocess; flowkit
   never imports CDK) and the cloud assembly is read back (:mod:`.assembly`) and shown (:mod:`.view`).
2. Fresh sample flow logs are written under ``<out>/logs`` in the configured key layout, every saved
   query available with the configured fields runs on them with the local DuckDB engine (parameters
   taken from the sample's incidents, :mod:`.walkthrough`), and the HTML report goes to
   ``<out>/report.html`` (:mod:`.console` prints it all). Any failed query makes the demo fail.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path

from rich.console import Console

from flowkit.demo.console import local_section, print_next_steps
from flowkit.demo.errors import DemoError
from flowkit.demo.view import synth_section
from flowkit.demo.walkthrough import DemoConfig, LocalOutcome
from flowkit.settings import Settings

__all__ = ["DemoConfig", "DemoError", "LocalOutcome", "run_demo"]


def run_demo(app_dir: Path, context: Mapping[str, str], settings: Callable[[], Settings], config: DemoConfig,
             console: Console) -> LocalOutcome:
    """Synthesize (unless ``config.synth`` is off), then the local part; DemoError if anything failed.

    ``settings`` is called after the synth, so bad settings are reported by the app itself first.
    """
    began = time.perf_counter()
    if config.synth:
        synth_section(console, app_dir, context)
    chosen = settings()
    outcome = local_section(console, chosen, config)
    print_next_steps(console, chosen, outcome)
    console.print(f"[dim]demo finished in {time.perf_counter() - began:.0f} s[/dim]")
    if outcome.failures:
        raise DemoError(outcome.failures)
    return outcome
