"""The grading worker (docker-compose's ``grader`` service): collect new submissions and grade them.

It is the instructor's pipeline on a timer, run next to the hub with the course folder:
``nbgrader collect --update`` through the course exchange (with the course service's token),
then ``course grade ASSIGNMENT --student ...`` for every submission that changed. Grading
itself (sandboxing included) is ``course grade``'s; this loop only decides what to grade.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

log = logging.getLogger("course.worker")


def _timestamps(root: Path, assignment: str) -> dict[str, str]:
    found = {}
    for stamp in (root / "submitted").glob(f"*/{assignment}/timestamp.txt"):
        found[stamp.parent.parent.name] = stamp.read_text().strip()
    return found


def released_assignments(env: dict, course: str) -> list[str]:
    """The course's released assignments, as the exchange lists them."""
    import requests

    response = requests.get(f"{env['COURSE_EXCHANGE_URL'].rstrip('/')}/api/courses/{course}/assignments", timeout=60,
                            headers={"Authorization": f"token {env['COURSE_EXCHANGE_TOKEN']}"})
    response.raise_for_status()
    return sorted(a["assignment_id"] for a in response.json())


def run_once(root: Path, env: dict, course: str = "mlphys") -> int:
    """One pass: collect what is new, grade it; returns how many submissions were graded."""
    graded = 0
    bin_dir = Path(sys.executable).parent
    for assignment in released_assignments(env, course):
        before = _timestamps(root, assignment)
        subprocess.run([str(bin_dir / "nbgrader"), "collect", assignment, "--update"], cwd=root, env=env, check=True,
                       capture_output=True)
        after = _timestamps(root, assignment)
        changed = sorted(s for s, t in after.items() if before.get(s) != t)
        if not changed:
            continue
        log.info("grading %d new submissions of %s: %s", len(changed), assignment, ", ".join(changed))
        cmd = [str(bin_dir / "course"), "grade", assignment, "--quiet"] + [a for s in changed for a in ("--student", s)]
        result = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
        log.info("%s", " ".join((result.stdout or result.stderr).strip().splitlines()[-1:]))
        graded += len(changed)
    return graded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course hub worker", description=__doc__.split("\n")[0])
    parser.add_argument("--course-root", default=os.environ.get("COURSE_ROOT", "."))
    parser.add_argument("--interval", type=float, default=float(os.environ.get("COURSE_WORKER_INTERVAL", "60")))
    parser.add_argument("--once", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[%(levelname).1s %(asctime)s course.worker] %(message)s")
    root = Path(args.course_root).resolve()
    env = dict(os.environ)
    token_file = env.get("COURSE_EXCHANGE_TOKEN_FILE")
    if token_file and not env.get("COURSE_EXCHANGE_TOKEN"):
        env["COURSE_EXCHANGE_TOKEN"] = Path(token_file).read_text().strip()
    from .spawner import role_config_path

    env.setdefault("JUPYTER_CONFIG_PATH", role_config_path("formgrader"))
    env.pop("JUPYTERHUB_API_TOKEN", None)  # act as the course's formgrader, not as whoever started us
    course = env.get("COURSE_ID", "mlphys")
    while True:
        try:
            run_once(root, env, course)
        except subprocess.CalledProcessError as exc:
            log.error("%s failed: %s", " ".join(map(str, exc.cmd)), (exc.stderr or b"")[-2000:])
        if args.once:
            return 0
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
