"""docker-compose.yml brought up for real (podman, podman-compose, DockerSpawner on podman's Docker API)
and used end to end: students sign up and log in through the proxy, their containers start, lecture01
is fetched, a notebook of several MB with plots is submitted through the proxy, the grader container
grades it in its bubblewrap sandbox with the points local mode gives, the student reads the feedback
and another student's container can reach neither it, the database nor the internet; after `down`
and `up` users, submissions, grades and the leaderboard are still there.

It builds images and takes ~10 minutes, so it is the compose stage of `.ci/run`, not part of
`make test`: it runs only with COURSE_COMPOSE_E2E=1, as root, with podman and podman-compose
installed (.ci/run installs them). Each step's time is printed and written to
test-artifacts/compose-e2e-times.json.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
import requests

from conftest import REPO
from hub.kernels import run_in_kernel
from course_lib.authoring import parse_variant, reference_submission

PROJECT = "mlphys-e2e"
HUB, GRADER = f"{PROJECT}_hub_1", f"{PROJECT}_grader_1"
ASSIGNMENT = "lecture01"
WRONG = REPO / "grader_tests" / ASSIGNMENT / "wrong_solutions"
# What local mode gives the same two notebooks (tests/test_pipeline_e2e.py grades them with `course grade`):
LOCAL_POINTS = {"alice": {"xor_deep": 3.0, "xor_single": 3.0, "cost_gradient": 2.0, "local_minima": 3.0},
                "bob": {"xor_deep": 3.0, "xor_single": 1.0, "cost_gradient": 2.0, "local_minima": 1.0}}
HALF_RIGHT = [WRONG / "xor_single_sign_flipped.py", WRONG / "local_minima_only_global.py"]
SOCKET = Path("/run/mlphys-e2e/podman.sock")
TIMES: dict[str, float] = {}

pytestmark = pytest.mark.skipif(
    os.environ.get("COURSE_COMPOSE_E2E") != "1" or os.geteuid() != 0
    or not (shutil.which("podman") and shutil.which("podman-compose")),
    reason="the compose end-to-end test is .ci/run's compose stage: COURSE_COMPOSE_E2E=1, as root, with podman "
           "and podman-compose (apt-get install podman runc podman-compose debootstrap)")


@contextmanager
def step(name: str):
    started = time.monotonic()
    yield
    TIMES[name] = round(time.monotonic() - started, 1)
    print(f"[compose e2e] {name}: {TIMES[name]:.1f} s", flush=True)


def sh(*cmd: str, timeout: float = 1800, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    def __init__(self, workdir: Path, port: int):
        self.workdir, self.port, self.url = workdir, port, f"http://127.0.0.1:{port}"

    def compose(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        return sh("podman-compose", "-p", PROJECT, "-f", str(self.workdir / "docker-compose.yml"), *args,
                  cwd=self.workdir, timeout=timeout)

    def exec(self, container: str, script: str, timeout: float = 600) -> str:
        return sh("podman", "exec", container, "sh", "-c", script, timeout=timeout).stdout

    def as_formgrader(self, script: str, timeout: float = 600) -> str:
        """An instructor's command in the grader container, with the course formgrader's exchange token."""
        return self.exec(GRADER, "cd /srv/course && export COURSE_EXCHANGE_TOKEN=$(cat $COURSE_EXCHANGE_TOKEN_FILE) "
                                 "JUPYTER_CONFIG_PATH=/srv/course/course_lib/hub/jupyter_config/formgrader:"
                                 f"/srv/course/course_lib/hub/jupyter_config/common && {script}", timeout)

    def up(self) -> None:
        """`up -d` in the order of docker-compose.yml's health gates (db healthy, then hub healthy, then the
        grader), each gate the compose file's own health check: Debian's podman-compose 1.0.3 starts services
        in dependency order but does not wait for `condition: service_healthy` as Docker Compose does."""
        for service in ("db", "hub", "grader"):
            self.compose("up", "-d", "--no-build", "--no-deps", service)
            if service != "grader":
                self.wait_container_healthy(f"{PROJECT}_{service}_1")
        self.wait_healthy()

    def wait_container_healthy(self, name: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while sh("podman", "healthcheck", "run", name, check=False).returncode != 0:
            if time.monotonic() > deadline:
                logs = sh("podman", "logs", "--tail", "60", name, check=False)
                raise AssertionError(f"{name} did not become healthy:\n{logs.stdout[-3000:]}\n{logs.stderr[-3000:]}")
            time.sleep(2)

    def wait_healthy(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/hub/health", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        logs = sh("podman", "logs", "--tail", "60", HUB, check=False)
        raise AssertionError(f"the hub did not answer through the proxy:\n{logs.stdout}\n{logs.stderr}")

    def admin_token(self) -> str:
        return self.exec(HUB, "cat /srv/state/hub/tokens/course-admin.token").strip()

    def api(self, method: str, path: str, expect=(200, 201, 202, 204), **kwargs) -> requests.Response:
        response = requests.request(method, f"{self.url}/hub/api/{path}", timeout=120,
                                    headers={"Authorization": f"token {self.admin_token()}"}, **kwargs)
        assert response.status_code in expect, f"{method} {path}: {response.status_code} {response.text[:500]}"
        return response


def signup(stack: Stack, user: str, password: str) -> None:
    session = requests.Session()
    session.get(f"{stack.url}/hub/signup", timeout=30)
    page = session.post(f"{stack.url}/hub/signup", timeout=60, data={
        "username": user, "signup_password": password, "signup_password_confirmation": password,
        "_xsrf": session.cookies.get("_xsrf", "")})
    assert page.status_code == 200, page.text[:500]


def login(stack: Stack, user: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{stack.url}/hub/login", timeout=30)
    response = session.post(f"{stack.url}/hub/login", timeout=120, allow_redirects=False, data={
        "username": user, "password": password, "_xsrf": session.cookies.get("_xsrf", "")})
    assert response.status_code == 302, f"{user} could not log in: {response.status_code} {response.text[:300]}"
    assert session.get(f"{stack.url}/hub/api/user", timeout=30).json()["name"] == user
    return session




EXCHANGE_CODE = """
import os
from pathlib import Path
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from course_lib.hub.exchange_client import {cls}
os.chdir(Path.home())
config = Config()
config.CourseDirectory.course_id = "mlphys"
config.CourseDirectory.assignment_id = "lecture01"
config.Exchange.assignment_dir = str(Path.home())
result = {cls}(coursedir=CourseDirectory(config=config), config=config).start()
"""


def plots_notebook(notebook: nbformat.NotebookNode, megabytes: float = 4.0) -> nbformat.NotebookNode:
    """The notebook with a cell of large plots, as a student's run at high resolution leaves them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rng, outputs, size = np.random.default_rng(16), [], 0
    while size < megabytes * 2**20:
        fig, ax = plt.subplots(figsize=(8, 6), dpi=150)
        ax.imshow(rng.random((400, 400)), cmap="viridis")
        ax.set_title("training loss landscape (sample)")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
        png = base64.b64encode(buffer.getvalue()).decode()
        size += len(png)
        outputs.append(nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"}))
    cell = nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0]);", outputs=outputs)
    notebook.cells.append(cell)
    return notebook


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("compose")
    shutil.copy(REPO / "docker-compose.yml", workdir / "docker-compose.yml")
    (workdir / "docker").mkdir()
    shutil.copy(REPO / "docker" / "postgres-init.sql", workdir / "docker" / "postgres-init.sql")
    port = free_port()
    python_image = os.environ.get("COURSE_PYTHON_IMAGE", "localhost/mlphys-python:bookworm")
    postgres_image = os.environ.get("COURSE_POSTGRES_IMAGE", "localhost/mlphys-postgres:bookworm")
    (workdir / ".env").write_text("\n".join([
        f"POSTGRES_PASSWORD={secrets.token_hex(16)}", f"COURSE_PUBLIC_URL=http://127.0.0.1:{port}",
        "COURSE_INSTRUCTORS=instructor", f"COURSE_PYTHON_IMAGE={python_image}",
        f"COURSE_POSTGRES_IMAGE={postgres_image}", f"COURSE_HUB_PUBLISH_PORT={port}", f"DOCKER_SOCKET={SOCKET}",
        "COURSE_MEM_LIMIT=2G", "COURSE_CPU_LIMIT=1.0", ""]))
    stack = Stack(workdir, port)
    remove_everything(stack)  # of an earlier run
    SOCKET.parent.mkdir(parents=True, exist_ok=True)
    SOCKET.unlink(missing_ok=True)
    service = subprocess.Popen(["podman", "system", "service", "--time=0", f"unix://{SOCKET}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with step("base images (debootstrap + podman import, kept when present)"):
            if not os.environ.get("COURSE_PYTHON_IMAGE"):
                sh(str(REPO / "deploy" / "podman" / "base-images.sh"))
        with step("build the hub and student images"):
            build(python_image)
        with step("podman-compose up (health-gated: db, then hub, then grader)"):
            stack.up()
        yield stack
    finally:
        logs = workdir / "logs"
        logs.mkdir(exist_ok=True)
        for name in (HUB, GRADER, f"{PROJECT}_db_1"):
            (logs / f"{name}.log").write_text(sh("podman", "logs", name, check=False).stderr[-200_000:])
        artifacts = REPO / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        (artifacts / "compose-e2e-times.json").write_text(json.dumps(TIMES, indent=1))
        shutil.copytree(logs, artifacts / "compose-e2e-logs", dirs_exist_ok=True)
        if os.environ.get("COURSE_COMPOSE_KEEP") != "1":  # kept for a look: COURSE_COMPOSE_KEEP=1
            remove_everything(stack)
        service.terminate()
        service.wait(timeout=30)
        print("[compose e2e] times: " + json.dumps(TIMES), flush=True)


def remove_everything(stack: Stack) -> None:
    """The stack, its volumes, the students' containers and their home volumes."""
    for leftover in sh("podman", "ps", "-aq", "--filter", "name=jupyter-", check=False).stdout.split():
        sh("podman", "rm", "-f", leftover, check=False)
    stack.compose("down", "-v")
    for volume in sh("podman", "volume", "ls", "-q", "--filter", "name=mlphys-home-", check=False).stdout.split():
        sh("podman", "volume", "rm", "-f", volume, check=False)


def build(python_image: str) -> None:
    """Both images, as `docker-compose build` would, plus the machine's package index and CA (a build secret)."""
    extra = []
    cert = os.environ.get("PIP_CERT") or sh(sys.executable, "-m", "pip", "config", "get", "global.cert", check=False).stdout.strip()
    if cert and Path(cert).is_file():
        extra += ["--secret", f"id=pip_cert,src={cert}"]
    if os.environ.get("PIP_INDEX_URL"):
        extra += ["--build-arg", f"PIP_INDEX_URL={os.environ['PIP_INDEX_URL']}"]
    for dockerfile, image in (("hub", "mlphys-hub:0.1.0"), ("student", "mlphys-student:0.1.0")):
        sh("podman", "build", "-q", "-f", f"docker/{dockerfile}.Dockerfile", "-t", image,
           "--build-arg", f"BASE_IMAGE={python_image}", *extra, ".", cwd=REPO, timeout=3600)


def test_compose_end_to_end(stack):
    password = {user: f"{user} pass phrase {secrets.token_hex(4)}" for user in ("instructor", "alice", "bob")}
    with step("sign up, approve and log in through the proxy"):
        for user in password:
            signup(stack, user, password[user])
        instructor = login(stack, "instructor", password["instructor"])
        for user in ("alice", "bob"):
            assert instructor.get(f"{stack.url}/hub/authorize/{user}", timeout=30).status_code == 200
        sessions = {user: login(stack, user, password[user]) for user in ("alice", "bob")}
        stack.api("POST", "groups/nbgrader-mlphys/users", json={"users": ["alice", "bob"]})
    with step("release lecture01 (instructor)"):
        stack.as_formgrader(f"nbgrader generate_assignment {ASSIGNMENT} --force && nbgrader release_assignment {ASSIGNMENT}")
    tokens = {}
    with step("start alice's and bob's containers (DockerSpawner on podman's API)"):
        for user in ("alice", "bob"):
            stack.api("POST", f"users/{user}/server", expect=(201, 202))
        for user in ("alice", "bob"):
            deadline = time.monotonic() + 300
            while not stack.api("GET", f"users/{user}").json().get("servers", {}).get("", {}).get("ready"):
                assert time.monotonic() < deadline, f"{user}'s container did not start:\n" + sh(
                    "podman", "logs", "--tail", "80", HUB, check=False).stderr
                time.sleep(2)
            tokens[user] = stack.api("POST", f"users/{user}/tokens", json={"note": "compose e2e"}).json()["token"]
        # the student's own login cookie reaches her server through the proxy
        lab = sessions["alice"].get(f"{stack.url}/user/alice/lab", timeout=120)  # hub OAuth, then her JupyterLab
        assert lab.status_code == 200 and lab.url.startswith(f"{stack.url}/user/alice/lab"), (lab.status_code, lab.url)
        assert sessions["bob"].get(f"{stack.url}/user/alice/lab", timeout=120).status_code in (403, 404)
    with step("fetch lecture01 in the students' containers"):
        for user in ("alice", "bob"):
            run_in_kernel(stack, user, tokens[user], EXCHANGE_CODE.format(cls="HubExchangeFetchAssignment"))
    source = REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    release = REPO / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    half_right = {v["replaces"]: v["code"] for v in map(parse_variant, HALF_RIGHT)}
    notebooks = {"alice": plots_notebook(reference_submission(source, release)),
                 "bob": reference_submission(source, release, half_right)}
    sizes = {}
    with step("upload and submit (alice: several MB with plots) through the proxy"):
        for user, notebook in notebooks.items():
            body = json.dumps({"type": "notebook", "format": "json", "content": notebook})
            sizes[user] = len(body)
            put = requests.put(f"{stack.url}/user/{user}/api/contents/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", data=body,
                               headers={"Authorization": f"token {tokens[user]}"}, timeout=300)
            assert put.status_code in (200, 201), put.text[:500]
            out = run_in_kernel(stack, user, tokens[user],
                                EXCHANGE_CODE.format(cls="HubExchangeSubmit") + "print('RECEIPT', result)")
            assert "RECEIPT" in out, out
    assert sizes["alice"] > 3 * 2**20, sizes
    with step("grading in the grader container's sandbox (worker: collect, course grade)"):
        grades = wait_for_grades(stack, {"alice", "bob"})
    for user, expected in LOCAL_POINTS.items():
        assert {r["grade_cell"]: r["score"] for r in grades if r["student"] == user and r["kind"] == "auto"} == expected, user
    with step("the grader's grant is what bwrap needs, and it holds none of the hub's state"):
        check = ["python", "-c", "from course_lib.sandbox import sandbox_check; sandbox_check()"]
        assert "cannot create a sandbox" in sh("podman", "run", "--rm", "mlphys-hub:0.1.0", *check, check=False).stderr
        assert "cannot create a sandbox" in sh("podman", "run", "--rm", "--cap-add", "SYS_ADMIN", "mlphys-hub:0.1.0",
                                               *check, check=False).stderr  # no loopback in the sandbox's netns
        stack.exec(GRADER, "python -c 'from course_lib.sandbox import sandbox_check; sandbox_check()'")  # with it
        assert stack.exec(GRADER, "ls /srv/state /var/run/docker.sock 2>&1 || true").count("No such file") == 2
    with step("release feedback (instructor) and read it as alice"):
        stack.as_formgrader(f"nbgrader generate_feedback {ASSIGNMENT} --student alice --force && "
                            f"nbgrader release_feedback {ASSIGNMENT} --student alice")
        html = run_in_kernel(stack, "alice", tokens["alice"], EXCHANGE_CODE.format(cls="HubExchangeFetchFeedback") + """
for path in sorted(Path.home().glob("lecture01/feedback/*/*.html")):
    print(path.read_text())
""")
        assert "Platform grader" in html and "BEGIN SOLUTION" not in html
    with step("bob's container: no alice feedback, no database, no internet"):
        probe = run_in_kernel(stack, "bob", tokens["bob"], """
import os, socket, urllib.request, json
from pathlib import Path
def reach(host, port):
    try:
        socket.create_connection((host, port), timeout=5).close()
        return "open"
    except OSError as exc:
        return type(exc).__name__
api = os.environ["JUPYTERHUB_API_URL"].rsplit("/hub/api", 1)[0]
request = urllib.request.Request(f"{api}/services/exchange/api/courses/mlphys/feedback/alice/lecture01",
                                 headers={"Authorization": "token " + os.environ["JUPYTERHUB_API_TOKEN"]})
try:
    with urllib.request.urlopen(request, timeout=30) as response:
        feedback = f"{response.status} {response.read()[:200]!r}"
except Exception as exc:
    feedback = getattr(exc, "code", type(exc).__name__)
found = [str(p) for root in ("/home", "/srv", "/tmp") for p in Path(root).rglob("*") if "alice" in str(p)]
print(json.dumps({"feedback": str(feedback), "db": reach("db", 5432), "grader": reach("grader", 8000),
                  "internet": reach("pypi.org", 443), "hub": reach("hub", 8081), "found": found}))
""")
        seen = json.loads(probe.strip().splitlines()[-1])
        assert seen["feedback"] in ("403", "404"), seen
        assert seen["db"] != "open" and seen["internet"] != "open" and seen["grader"] != "open", seen
        assert seen["hub"] == "open", seen
        assert seen["found"] == [], seen
    pseudonym = f"Quark{secrets.randbelow(10**6)}"
    with step("leaderboard: alice chooses her pseudonym"):
        assert pseudonym in choose_pseudonym(stack, sessions["alice"], pseudonym)
    before = persisted(stack)
    with step("podman-compose down and up again"):
        for user in ("alice", "bob"):
            stack.api("DELETE", f"users/{user}/server", expect=(202, 204))
        stack.compose("down")
        stack.up()
    with step("after down/up: users, submissions, grades, leaderboard"):
        after = persisted(stack)
        assert after == before and {"alice", "bob", "instructor"} <= set(after["users"])
        assert len(after["submissions"]) >= 2 and len(after["grades"]) == 8, after
        board = login(stack, "alice", password["alice"]).get(f"{stack.url}/services/leaderboard/", timeout=120)
        assert board.status_code == 200 and f"<b>{pseudonym}</b>" in board.text, "the leaderboard's database survived"


def choose_pseudonym(stack: Stack, session: requests.Session, name: str) -> str:
    """Through the proxy, as a student's browser does: the leaderboard's page (hub OAuth), then its form."""
    page = session.get(f"{stack.url}/services/leaderboard/", timeout=120)
    assert page.status_code == 200, page.status_code
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
    chosen = session.post(f"{stack.url}/services/leaderboard/pseudonym", data={"pseudonym": name, "_xsrf": xsrf},
                          timeout=120)
    assert chosen.status_code == 200, chosen.text[:500]
    return session.get(f"{stack.url}/services/leaderboard/", timeout=120).text


def wait_for_grades(stack: Stack, students: set[str], timeout: float = 900) -> list[dict]:
    """The grades once `course grade`'s journal says every student's grading finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        journal = stack.exec(GRADER, f"cat /srv/course/autograded/.grading/{ASSIGNMENT}.jsonl 2>/dev/null || true")
        finished = [json.loads(line) for line in journal.splitlines() if line.strip()]
        if students <= {r.get("student") for r in finished if "success" in r}:
            failed = [r for r in finished if r.get("success") is False]
            assert not failed, f"grading failed: {failed}"
            return json.loads(stack.as_formgrader(f"course grades {ASSIGNMENT} --format json", timeout=300))
        time.sleep(5)
    logs = sh("podman", "logs", "--tail", "80", GRADER, check=False)
    raise AssertionError(f"not graded within {timeout} s:\n{logs.stdout[-4000:]}\n{logs.stderr[-4000:]}")


def persisted(stack: Stack) -> dict:
    """What must survive the stack's restart: hub users, exchange submissions, the gradebook, the leaderboard."""
    users = sorted(u["name"] for u in stack.api("GET", "users").json())
    submissions = stack.exec(HUB, "find /srv/state -path '*lecture01*' -name '*.ipynb' | sort")
    grades = json.loads(stack.as_formgrader(f"course grades {ASSIGNMENT} --format json"))
    return {"users": users, "submissions": submissions.split(), "grades": sorted(
        (r["student"], r["grade_cell"], r["score"]) for r in grades if r.get("kind") == "auto"),
        "leaderboard": stack.exec(HUB, "find /srv/state/leaderboard -type f | sort")}
