"""The kit's CDK stacks: storage (bucket), capture (flow logs) and analytics (Glue + Athena)."""

from stacks.app_builder import KitStacks, build

__all__ = ["KitStacks", "build"]
