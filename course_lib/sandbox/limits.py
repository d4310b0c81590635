"""Resource limits of one submission's sandbox, with per-assignment overrides.

Defaults fit the course's TensorFlow notebooks on two cores; an assignment may change
any of them in ``grader_tests/<assignment>/limits.toml``::

    # grader_tests/lecture07/limits.toml
    memory_mb = 6144      # this one trains a bigger network
    wall_time = 1800

Unknown names and values of the wrong kind are an error that names the file and the key,
so a typo never silently leaves a limit at its default.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

LIMITS_FILE = "limits.toml"


class LimitsError(ValueError):
    """A limits.toml that cannot be used, with a message naming the file and the key."""


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Sizes in MiB, times in seconds."""

    memory_mb: int = 4096  # resident memory of all the sandbox's processes together (and data segment per process)
    cpu_seconds: int = 3600  # CPU time per process (RLIMIT_CPU)
    processes: int = 256  # processes and threads of the sandbox's user (RLIMIT_NPROC)
    file_size_mb: int = 256  # largest file it may write (RLIMIT_FSIZE)
    open_files: int = 1024  # RLIMIT_NOFILE
    disk_mb: int = 1024  # its writable copy of the submission (a tmpfs of this size)
    tmp_mb: int = 512  # its private /tmp (a tmpfs of this size)
    output_mb: int = 8  # output the notebook's cells may produce in total; the rest is dropped
    cell_timeout: int = 300  # one cell of the notebook
    call_timeout: int = 60  # one call of a hidden grader into the student's code (a grader may ask for more)
    wall_time: int = 1800  # the whole submission: running the notebook and every grader call
    threads: int = 1  # OMP/TF/BLAS threads per kernel: grading runs one kernel per core
    interrupt_grace: int = 10  # seconds a cell has to stop after an interrupt before the kernel counts as stuck
    grader_memory_mb: int = 2048  # what the hidden graders' process may add while it checks this submission's answers
    grader_cpu_seconds: int = 600  # CPU time of the hidden graders' process (RLIMIT_CPU)

    def with_overrides(self, values: dict, origin: str = "limits") -> "Limits":
        known = {f.name: f.type for f in fields(self)}
        clean = {}
        for key, value in values.items():
            if key not in known:
                raise LimitsError(f"{origin}: unknown limit {key!r} (known: {', '.join(sorted(known))})")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise LimitsError(f"{origin}: {key} must be a positive number, not {value!r}")
            clean[key] = int(value)
        return dataclasses.replace(self, **clean)


def load_limits(grader_dir: str | Path, base: Limits | None = None) -> Limits:
    """``base`` (default: the course defaults) with the assignment's limits.toml applied, if it has one."""
    base = base or Limits()
    path = Path(grader_dir) / LIMITS_FILE
    if not path.is_file():
        return base
    try:
        values = tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LimitsError(f"{path}: not valid TOML ({exc})") from None
    values = values.get("limits", values) if isinstance(values.get("limits"), dict) else values
    return base.with_overrides(values, str(path))
