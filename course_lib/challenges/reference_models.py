"""Reference entries shown as rows on the boards, and used by the tests and benchmarks.

- The course's example autoencoder: Conv2D alternating with pooling down to a 3x3x1 layer
  (bottleneck 9, so MEDIUM), then upsampling back to 27x27x1; Adam, batch size 30, NORMAL.
- A uniformly random maze policy: a tiny model whose output is exactly 1/5 for every action.
"""

import json
from pathlib import Path

from mlphys.challenges.autoencoder import MODEL_FILE as AUTOENCODER_FILE
from mlphys.challenges.autoencoder_settings import SETTINGS_FILE
from mlphys.maze import MAZE_SIZE, NUM_ACTIONS

EXAMPLE_AUTOENCODER_SETTINGS = {"batchsize": 30, "training": "NORMAL"}
MAZE_POLICY_FILE = "maze_policy.keras"


def build_course_example_autoencoder():
    """The course's example network: 27x27 -> 9x9 -> 3x3x1 (bottleneck 9) -> 9x9 -> 27x27."""
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input(shape=(None, None, 1)),
            layers.Conv2D(20, 5, activation="sigmoid", padding="same"),
            layers.AveragePooling2D(pool_size=3, padding="same"),  # 9x9
            layers.Conv2D(20, 5, activation="sigmoid", padding="same"),
            layers.AveragePooling2D(pool_size=3, padding="same"),  # 3x3
            layers.Conv2D(1, 3, activation="sigmoid", padding="same"),  # 3x3x1: the bottleneck
            layers.UpSampling2D(size=3),  # 9x9
            layers.Conv2D(20, 5, activation="sigmoid", padding="same"),
            layers.UpSampling2D(size=3),  # 27x27
            layers.Conv2D(20, 5, activation="sigmoid", padding="same"),
            layers.Conv2D(1, 3, activation="linear", padding="same"),
        ],
        name="course_example_autoencoder",
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mean_squared_error")
    return model


def build_uniform_random_policy():
    """A maze policy giving probability 1/5 to each action in every state (20 parameters)."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(MAZE_SIZE, MAZE_SIZE, 3)),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_ACTIONS, kernel_initializer="zeros", bias_initializer="zeros"),
            layers.Softmax(),
        ],
        name="uniform_random_policy",
    )


def write_autoencoder_entry(entry_dir: Path, model, settings: dict) -> Path:
    """Write `autoencoder.keras` and `autoencoder.json` as the assignment notebook does."""
    entry_dir = Path(entry_dir)
    entry_dir.mkdir(parents=True, exist_ok=True)
    model.save(entry_dir / AUTOENCODER_FILE)
    (entry_dir / SETTINGS_FILE).write_text(json.dumps(settings), encoding="utf-8")
    return entry_dir


def write_maze_entry(entry_dir: Path, model) -> Path:
    """Write `maze_policy.keras` as the assignment notebook does."""
    entry_dir = Path(entry_dir)
    entry_dir.mkdir(parents=True, exist_ok=True)
    model.save(entry_dir / MAZE_POLICY_FILE)
    return entry_dir
