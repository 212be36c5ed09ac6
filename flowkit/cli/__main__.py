"""``python -m flowkit.cli``: the same as the ``flowlogs`` command."""

from flowkit.cli import main

main()
