"""One simulated student of the load test, running as their own Unix account with their own hub token.

For every round number read from stdin it fetches lecture01 through the course exchange (nbgrader's
HTTP exchange classes, the ones the assignment list uses), writes a unique marker into the
notebook (and a forged timestamp.txt, which the platform must ignore), submits, and prints one
JSON line with the receipt and its timings.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from course_lib.hub.exchange_client import HubExchangeFetchAssignment, HubExchangeSubmit


def one_round(student: str, round_no: int) -> dict:
    workdir = Path.home() / f"round{round_no}"
    workdir.mkdir(exist_ok=True)
    os.chdir(workdir)
    config = Config()
    config.CourseDirectory.course_id = "mlphys"
    config.CourseDirectory.assignment_id = "lecture01"
    config.Exchange.assignment_dir = str(workdir)
    coursedir = CourseDirectory(config=config)
    started = time.monotonic()
    HubExchangeFetchAssignment(coursedir=coursedir, config=config).start()
    fetched = time.monotonic()
    notebook = workdir / "lecture01" / "lecture01.ipynb"
    content = json.loads(notebook.read_text())
    marker = f"load-marker {student} round {round_no} {os.urandom(6).hex()}"
    content["cells"].append({"cell_type": "markdown", "metadata": {}, "source": marker})
    notebook.write_text(json.dumps(content))
    (workdir / "lecture01" / "timestamp.txt").write_text("1999-01-01 00:00:00.000000 UTC")
    receipt = HubExchangeSubmit(coursedir=coursedir, config=config).start()
    done = time.monotonic()
    return {"student": student, "round": round_no, "marker": marker, "receipt": receipt,
            "fetch_s": fetched - started, "submit_s": done - fetched}


def main() -> None:
    student = sys.argv[1]
    print(json.dumps({"ready": student}), flush=True)
    for line in sys.stdin:
        round_no = int(line)
        try:
            result = one_round(student, round_no)
        except Exception as exc:  # reported, never silently lost
            result = {"student": student, "round": round_no, "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
