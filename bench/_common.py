"""What the grading benchmarks share: the floor any grading pays, a notebook run by nbclient alone."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def bare_seconds(notebook: Path, timeout: int = 600, workdir: Path | None = None) -> float | None:
    """Seconds to run ``notebook`` top to bottom with nbclient (kernel start included; no sandbox, no graders).

    It runs in a copy of the notebook's folder, errors and a kernel that exits included: a scratch
    folder that is removed afterwards, or ``workdir`` when the caller needs the files the notebook
    writes (a challenge entry). None when the file is not a readable notebook.
    """
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:
        return None
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as scratch:
        folder = Path(workdir or scratch)
        shutil.copytree(notebook.parent, folder, dirs_exist_ok=True)
        started = time.perf_counter()
        try:
            NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                           resources={"metadata": {"path": str(folder)}}).execute()
        except Exception:  # a kernel that exits
            pass
        return time.perf_counter() - started


QUIET_MARGIN = 0.5  # one-minute load above what the measurement itself runs that still counts as a quiet machine


def load_text(own: int = 1) -> str:
    """The machine's load averages, printed beside every figure (timings move a lot with other jobs).

    ``own`` is how many busy processes the measurement just printed ran itself (a serial run 1, a
    pool of workers its size); only load above that says that other jobs shared the machine.
    """
    one, five, fifteen = os.getloadavg()
    quiet = one <= own + QUIET_MARGIN
    note = "" if quiet else f"  NOT QUIET: other jobs share the {os.cpu_count()} cores"
    return f"[load {one:.2f} {five:.2f} {fifteen:.2f}{note}]"
