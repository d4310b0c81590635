"""One simulated student of the load test, running as their own Unix account with their own hub token.

``load_student.py USER`` is one student; ``load_student.py --fork`` forks every student named on
stdin from one process (see ``fork_students``).

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


def serve(student: str) -> None:
    print(json.dumps({"ready": student}), flush=True)
    for line in sys.stdin:
        round_no = int(line)
        try:
            result = one_round(student, round_no)
        except Exception as exc:  # reported, never silently lost
            result = {"student": student, "round": round_no, "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(result), flush=True)


def fork_students(specs: list[dict]) -> int:
    """Every student from one process that imported nbgrader once (a second of CPU per student otherwise).

    Each spec names a student, their Unix account, their environment and the two pipe ends that
    become their stdin and stdout; each student is a forked process that takes its account first.
    """
    from jupyterhub.spawner import set_user_setuid

    ends = [fd for spec in specs for fd in (spec["stdin"], spec["stdout"])]
    children = []
    for spec in specs:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                set_user_setuid(spec["account"])()  # groups, gid, uid, then the account's home
                os.environ.clear()
                os.environ.update(spec["env"])
                os.dup2(spec["stdin"], 0)
                os.dup2(spec["stdout"], 1)
                for fd in ends:  # another student's pipe held open here would hide that student's end
                    os.close(fd)
                sys.stdin, sys.stdout = open(0, closefd=False), open(1, "w", closefd=False)
                serve(spec["user"])
                code = 0
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                os._exit(code)
        children.append(pid)
    for fd in ends:
        os.close(fd)
    failed = sum(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0 for pid in children)
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--fork"]:
        sys.exit(fork_students(json.loads(sys.stdin.read())))
    serve(sys.argv[1])
