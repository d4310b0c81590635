"""Helpers for jupyterhub_config.py: settings from the environment, secrets, permissions, the spawn hook."""

from __future__ import annotations

import os
import pwd
import secrets
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..course_dir import PRIVATE  # what students must never read in a course root (one list with the sandbox)
from .spawner import role_config_path

STUDENT_GROUP, INSTRUCTOR_GROUP = "nbgrader-{}", "formgrade-{}"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


@dataclass
class Settings:
    """Everything the hub's configuration reads from the environment, with the local defaults."""

    repo: Path
    mode: str = "local"
    auth: str = "native"
    course_id: str = "mlphys"
    course_root: Path | None = None
    state: Path | None = None
    ip: str = "127.0.0.1"
    port: int = 8000
    hub_api_port: int = 8081
    proxy_api_port: int = 8001
    service_port_base: int = 8100
    public_url: str = ""
    instructors: list[str] = field(default_factory=lambda: ["instructor"])
    demo_accounts: str = ""
    db_url: str = ""
    idle_timeout: int = 3600
    mem_limit: str = "2G"
    cpu_limit: float = 1.0
    auto_enroll: bool = True
    is_root: bool = False

    @classmethod
    def from_env(cls, repo: Path, env=os.environ) -> "Settings":
        s = cls(repo=repo)
        s.mode = env.get("COURSE_HUB_MODE", "local").strip().lower()
        if s.mode not in ("local", "docker", "kubernetes"):
            raise ValueError(f"COURSE_HUB_MODE must be local, docker or kubernetes, not {s.mode!r}")
        s.auth = env.get("COURSE_HUB_AUTH", "native").strip().lower()
        if s.auth not in ("native", "github", "oidc", "lti13"):
            raise ValueError(f"COURSE_HUB_AUTH must be native, github, oidc or lti13, not {s.auth!r}")
        s.course_id = env.get("COURSE_ID", s.course_id)
        s.course_root = Path(env.get("COURSE_ROOT") or repo).resolve()
        s.state = Path(env.get("COURSE_HUB_STATE") or repo / ".state").resolve()
        s.ip = env.get("COURSE_HUB_IP", "0.0.0.0" if s.mode == "docker" else "127.0.0.1")
        s.port = int(env.get("COURSE_HUB_PORT", s.port))
        s.hub_api_port = int(env.get("COURSE_HUB_API_PORT", s.hub_api_port))
        s.proxy_api_port = int(env.get("COURSE_PROXY_API_PORT", s.proxy_api_port))
        s.service_port_base = int(env.get("COURSE_SERVICE_PORT_BASE", s.service_port_base))
        s.public_url = env.get("COURSE_PUBLIC_URL", "")
        s.instructors = _split(env.get("COURSE_INSTRUCTORS", "instructor"))
        s.demo_accounts = env.get("COURSE_DEMO_ACCOUNTS", "")
        s.db_url = env.get("COURSE_HUB_DB_URL", "")
        s.idle_timeout = int(env.get("COURSE_IDLE_TIMEOUT", s.idle_timeout))
        s.mem_limit = env.get("COURSE_MEM_LIMIT", s.mem_limit)
        s.cpu_limit = float(env.get("COURSE_CPU_LIMIT", s.cpu_limit))
        s.auto_enroll = env.get("COURSE_AUTO_ENROLL", "1") not in ("0", "false", "no")
        s.is_root = os.geteuid() == 0
        return s

    @property
    def hub_dir(self) -> Path:
        return self.state / "hub"

    @property
    def exchange_dir(self) -> Path:
        return self.state / "exchange"

    def port_of(self, service: str) -> int:
        return self.service_port_base + {"exchange": 1, "formgrader": 2, "leaderboard": 3, "course-status": 4}[service]

    @property
    def isolated(self) -> bool:
        """Users' servers run as separate Unix accounts (local mode as root) or in their own containers."""
        return self.mode != "local" or self.is_root


def service_address(url, env=os.environ) -> tuple[int, str]:
    """(port, address) a hub service listens on: its parsed JUPYTERHUB_SERVICE_URL's, or every interface when
    COURSE_SERVICE_BIND_IP says so (Kubernetes: the proxy reaches the service at http://hub:PORT)."""
    return url.port or 80, env.get("COURSE_SERVICE_BIND_IP") or url.hostname or "127.0.0.1"


def secret_file(path: Path, nbytes: int = 32) -> str:
    """A secret kept in ``path`` (mode 0600), made on first use and the same on every start after."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(nbytes))
    return path.read_text().strip()


def private_dir(path: Path, mode: int = 0o700, owner: int | None = None) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, mode)
    if owner is not None and os.geteuid() == 0:
        os.chown(path, owner, -1)
    return path


def ensure_system_account(name: str, home: Path | None = None) -> pwd.struct_passwd:
    """A system account with no login, for a service (created as root). The hub starts a service
    with its account's home as HOME: ``home`` (made by the caller) for one that needs a writable one."""
    wanted = str(home or "/nonexistent")
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", wanted,
                        "--shell", "/usr/sbin/nologin", "--user-group", name], check=True, capture_output=True)
        return pwd.getpwnam(name)
    if home is not None and account.pw_dir != wanted:
        subprocess.run(["usermod", "--home", wanted, name], check=True, capture_output=True)
        account = pwd.getpwnam(name)
    return account


def protect_course(root: Path, log=print) -> list[str]:
    """Make a course root's sensitive parts private to their owner (folders 0700, files 0600).

    Only those parts change: the rest of the course root (release/, course_lib/, the venv that
    users' servers run from) stays as it is. Returns what was changed.
    """
    changed = []
    if not root.is_dir():
        return changed
    for name in PRIVATE:
        path = root / name
        for candidate in [path] + ([Path(str(path) + suffix) for suffix in ("-journal", "-wal", "-shm")] if name.endswith(".db") else []):
            if not candidate.exists() or candidate.is_symlink():
                continue
            mode = stat.S_IMODE(candidate.stat().st_mode)
            wanted = mode & (0o700 if candidate.is_dir() else 0o600)
            if mode != wanted:
                os.chmod(candidate, wanted)
                changed.append(f"{candidate} {oct(mode)} -> {oct(wanted)}")
    for line in changed:
        log(f"protected {line}")
    return changed


def owner_of(path: Path) -> str:
    return pwd.getpwuid(path.stat().st_uid).pw_name


GRADER_ACCOUNT = "{}-grader"


def course_grader(settings: Settings, env=os.environ, log=print) -> str:
    """The account that owns the course and runs the formgrader, the course pages and the grading worker
    (its home: ``<state>/formgrader-home``).

    ``COURSE_GRADER_USER`` if set, else the course's owner. A course owned by root (what `make run`
    prepares as root) is handed to the system account ``<course>-grader``, created on first use: no
    instructor action runs as root. Returns "root" only when asked to, or when the course is this
    repository itself (its venv and .git are not handed over; a warning says so).
    """
    chosen = env.get("COURSE_GRADER_USER") or owner_of(settings.course_root)
    if chosen != "root" or env.get("COURSE_GRADER_USER"):
        return chosen
    if settings.course_root == settings.repo.resolve():
        log(f"[course hub] the formgrader runs as root, the owner of {settings.course_root}: instructors who open it "
            "act as root there. Set COURSE_GRADER_USER (and chown the course to it) to choose another account.")
        return "root"
    account = ensure_system_account(GRADER_ACCOUNT.format(settings.course_id),
                                    home=settings.state / "formgrader-home")
    hand_over(settings.course_root, account, settings.state)
    return account.pw_name


def hand_over(root: Path, account: pwd.struct_passwd, state: Path | None = None) -> None:
    """Make ``account`` the owner of everything below ``root`` (links themselves, never their targets),
    and let it traverse the state folders above (mode 0711: passable, not listable)."""
    for folder, dirs, files in os.walk(root):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.lchown(name, account.pw_uid, account.pw_gid)
    if state is not None:
        for parent in root.parents:
            if parent == state or not parent.is_relative_to(state):
                break
            os.chmod(parent, stat.S_IMODE(parent.stat().st_mode) | 0o011)


def make_pre_spawn_hook(settings: Settings, exchange_url: str, config_base: str | None = None):
    """Enrol the user, then give their server the course's nbgrader setup for their role."""
    instructors_group = INSTRUCTOR_GROUP.format(settings.course_id)
    students_group = STUDENT_GROUP.format(settings.course_id)

    def pre_spawn_hook(spawner):
        from jupyterhub import orm

        user = spawner.user
        groups = {g.name for g in user.groups}
        if settings.auto_enroll and not groups & {instructors_group, students_group}:
            group = orm.Group.find(user.db, students_group) or orm.Group(name=students_group)
            user.orm_user.groups.append(group)
            user.db.commit()
            groups.add(students_group)
            spawner.log.info("enrolled %s in %s", user.name, students_group)
        role = "instructor" if instructors_group in groups else "student"
        base = Path(config_base) if config_base else None
        spawner.environment.update({
            "COURSE_ID": settings.course_id,
            "COURSE_ROLE": role,
            "COURSE_EXCHANGE_URL": exchange_url,
            "JUPYTER_CONFIG_PATH": role_config_path(role, base) if base else role_config_path(role),
        })
        spawner.log.info("starting %s's server as a %s of %s", user.name, role, settings.course_id)

    return pre_spawn_hook
