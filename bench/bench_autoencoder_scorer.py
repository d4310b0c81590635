"""Wall time of the autoencoder scorer against plain Keras `train_on_batch` training.

Both train the course example network on the same number of images (the NORMAL budget,
batch size 30). The plain loop gets every advantage: its circles are generated before the clock
starts and it does nothing but load the saved model and call `train_on_batch`. The scorer is
timed end to end for one run: settings, safe loading, shape, parameter and bottleneck checks,
re-initialisation, data generation, training and the held-out evaluation.
Target: scorer / plain <= 1.15.

    python bench/bench_autoencoder_scorer.py [--repeats 2]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keras  # noqa: E402
import numpy as np  # noqa: E402

from mlphys.challenges.autoencoder import score_autoencoder_entry  # noqa: E402
from mlphys.challenges.circles import generate_circles  # noqa: E402
from course_lib.challenges.reference_models import (  # noqa: E402
    EXAMPLE_AUTOENCODER_SETTINGS,
    build_course_example_autoencoder,
    write_autoencoder_entry,
)


def plain_training_seconds(model_path: Path, images: int, batchsize: int) -> float:
    steps = images // batchsize
    data = generate_circles(np.random.default_rng(0), steps * batchsize).reshape(steps, batchsize, 27, 27, 1)
    started = time.perf_counter()
    model = keras.saving.load_model(model_path)  # compiled as saved: Adam, MSE
    for batch in data:
        model.train_on_batch(batch, batch)
    return time.perf_counter() - started


def scorer_seconds(entry_dir: Path, seed: int) -> float:
    started = time.perf_counter()
    result = score_autoencoder_entry(entry_dir, seed=seed, runs=1)
    elapsed = time.perf_counter() - started
    if not result.accepted:
        raise SystemExit(f"the example entry was rejected: {result.message}")
    return elapsed


def warm_up() -> None:
    """Pay TensorFlow's one-off start-up before either side is timed."""
    model = keras.Sequential([keras.Input((27, 27, 1)), keras.layers.Conv2D(1, 3, padding="same")])
    model.compile("adam", "mse")
    batch = np.zeros((4, 27, 27, 1), dtype=np.float32)
    for _ in range(3):
        model.train_on_batch(batch, batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    batchsize, images = EXAMPLE_AUTOENCODER_SETTINGS["batchsize"], 30_000
    with tempfile.TemporaryDirectory() as tmp:
        entry = write_autoencoder_entry(Path(tmp) / "entry", build_course_example_autoencoder(), EXAMPLE_AUTOENCODER_SETTINGS)
        warm_up()
        plain, scorer = [], []
        for repeat in range(args.repeats):
            plain.append(plain_training_seconds(entry / "autoencoder.keras", images, batchsize))
            scorer.append(scorer_seconds(entry, seed=1000 + repeat))
            print(f"repeat {repeat + 1}: plain train_on_batch {plain[-1]:.2f} s, scorer {scorer[-1]:.2f} s, "
                  f"ratio {scorer[-1] / plain[-1]:.3f}", flush=True)
    steps = images // batchsize
    ratio = statistics.median(scorer) / statistics.median(plain)
    print(f"course example, {images} images at batch size {batchsize} ({steps} steps), {args.repeats} repeats")
    print(f"plain Keras train_on_batch: median {statistics.median(plain):.2f} s")
    print(f"scorer, one run end to end: median {statistics.median(scorer):.2f} s")
    print(f"ratio scorer / plain: {ratio:.3f} (target <= 1.15)")


if __name__ == "__main__":
    main()
