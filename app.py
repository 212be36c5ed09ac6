"""CDK entry point: settings from the CDK context, validated before any construct is built."""

from __future__ import annotations

import sys

from aws_cdk import App

from flowkit.errors import KitError
from flowkit.queries import contexts_for, saved_queries
from flowkit.settings import load
from stacks import build


def main(app: App | None = None) -> int:
    """Validate, then build and synthesize; returns the exit status (1 = bad settings, queries or limits)."""
    app = app or App()
    try:
        settings = load(app.node.get_all_context())
        queries = saved_queries(contexts_for(settings), settings.investigation)
        build(app, settings, queries)
    except KitError as err:
        for problem in err.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
