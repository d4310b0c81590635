"""The student's `autoencoder.json`: batch size and training budget, strictly validated."""

import json
from dataclasses import dataclass
from pathlib import Path

from mlphys.challenges.errors import EntryRejected

SETTINGS_FILE = "autoencoder.json"
TRAINING_BUDGETS = {"NORMAL": 30_000, "LONG": 100_000}
BATCHSIZE_RANGE = (1, 1000)
MAX_SETTINGS_BYTES = 64 * 1024


@dataclass(frozen=True)
class AutoencoderSettings:
    batchsize: int
    training: str

    @property
    def budget_images(self) -> int:
        return TRAINING_BUDGETS[self.training]


def read_settings(entry_dir: Path) -> AutoencoderSettings:
    """Parse `autoencoder.json` or raise `EntryRejected` saying what is wrong with it."""
    path = Path(entry_dir) / SETTINGS_FILE
    if path.is_symlink():
        raise EntryRejected(f"{SETTINGS_FILE} must be a regular file, not a symbolic link", "missing_file")
    if not path.is_file():
        raise EntryRejected(f"{SETTINGS_FILE} is missing from the entry", "missing_file")
    if path.stat().st_size > MAX_SETTINGS_BYTES:
        raise EntryRejected(f"{SETTINGS_FILE} is too large to be a settings file", "malformed_settings")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EntryRejected(f"{SETTINGS_FILE} is not valid JSON: {error}", "malformed_settings") from None
    return parse_settings(data)


def parse_settings(data) -> AutoencoderSettings:
    """Validate the decoded JSON: exactly the keys "batchsize" and "training"."""
    expected = '{"batchsize": <int>, "training": "NORMAL" | "LONG"}'
    if not isinstance(data, dict):
        raise EntryRejected(f"{SETTINGS_FILE} must be a JSON object like {expected}", "malformed_settings")
    missing = [key for key in ("batchsize", "training") if key not in data]
    if missing:
        raise EntryRejected(
            f"{SETTINGS_FILE} lacks {', '.join(repr(key) for key in missing)}; expected {expected}",
            "malformed_settings",
        )
    unknown = sorted(set(data) - {"batchsize", "training"})
    if unknown:
        raise EntryRejected(
            f"{SETTINGS_FILE} has unknown keys {', '.join(repr(key) for key in unknown)}; expected {expected}",
            "malformed_settings",
        )
    batchsize = data["batchsize"]
    if isinstance(batchsize, bool) or not isinstance(batchsize, int):
        raise EntryRejected(
            f"{SETTINGS_FILE}: batchsize must be an integer, got {batchsize!r}", "malformed_settings"
        )
    low, high = BATCHSIZE_RANGE
    if not low <= batchsize <= high:
        raise EntryRejected(
            f"{SETTINGS_FILE}: batchsize must be between {low} and {high}, got {batchsize}",
            "batchsize_out_of_range",
        )
    training = data["training"]
    if training not in TRAINING_BUDGETS:
        raise EntryRejected(
            f"{SETTINGS_FILE}: training must be \"NORMAL\" or \"LONG\", got {training!r}",
            "malformed_settings",
        )
    return AutoencoderSettings(batchsize=batchsize, training=training)
