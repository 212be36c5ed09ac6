"""The investigation's settings: the model and its checks, and reading them from cdk.json."""

from flowkit.settings.loading import SETTING_KEYS, is_kit_key, load, load_file, read_cdk_json
from flowkit.settings.model import INVESTIGATION, Settings, SettingsError, stack_name

__all__ = ["INVESTIGATION", "SETTING_KEYS", "Settings", "SettingsError", "is_kit_key", "load", "load_file",
           "read_cdk_json", "stack_name"]
