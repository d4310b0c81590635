"""A bubblewrap sandbox for one student kernel.

What the kernel sees and may do:

* its own unprivileged user (``course-sandbox-N``, one per concurrently running sandbox,
  so that process limits and signals never reach another student's kernel);
* no network (a network namespace with only loopback), no other process (a PID namespace),
  no capabilities and no way to gain any (``no_new_privs``);
* a read-only system: ``/usr`` and the link farm around it, a few files of ``/etc`` (a
  synthetic passwd and group; no shadow), the Python installation, the venv, and of the
  course only its sandbox-side package ``mlphys`` (the trusted ``course_lib`` is not there);
* a private writable copy of its one submission at ``/home/student/work`` and a private
  ``/tmp``, both size-limited tmpfs that vanish with the sandbox;
* rlimits on data size, CPU time, processes, file size and open files, and a watchdog in the
  trusted process that kills the whole sandbox when its processes together use more memory
  than allowed.

The kernel talks to the trusted process over ZeroMQ IPC sockets in a directory bound into
the sandbox; TCP would need the host's network.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .files import CopyReport, copy_regular_files, copy_tree, open_below, open_folder, walk_files
from .limits import Limits

WORK = "/home/student/work"
HOME = "/tmp/home"  # private scratch like the rest of /tmp; /home/student itself is read-only
SUBMISSION = "/run/submission"
USER_PREFIX = "course-sandbox-"
MAX_SLOTS = 128
STATE_DIR = Path(os.environ.get("COURSE_SANDBOX_STATE", "/run/course-sandbox"))
# Variables of the trusted process a sandboxed process may see; everything else (tokens, the grading
# seed, the instructor's configuration) stays outside.
ENV_ALLOWLIST = (
    "PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH", "VIRTUAL_ENV",
    "OMP_NUM_THREADS", "TF_NUM_INTEROP_THREADS", "TF_NUM_INTRAOP_THREADS", "NBGRADER_EXECUTION",
)


def allowed_environment() -> dict[str, str]:
    """This process's allow-listed variables (`ENV_ALLOWLIST`), the start of every sandboxed environment."""
    return {name: os.environ[name] for name in ENV_ALLOWLIST if name in os.environ}


ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives", "mime.types", "nsswitch.conf", "fonts")
# Files a notebook writes come back beside the graded notebook, within these bounds.
COPY_BACK_FILE = 10 * 2**20
COPY_BACK_TOTAL = 50 * 2**20
COPY_BACK_FILES = 200


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot be set up on this machine; the message says what to install or change."""


def bwrap_path() -> str:
    path = shutil.which("bwrap") or ("/usr/bin/bwrap" if os.path.exists("/usr/bin/bwrap") else None)
    if not path:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed; run `make install` as root or `apt-get install bubblewrap`"
        )
    return path


def _run_quiet(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True)


def ensure_user(name: str) -> pwd.struct_passwd:
    """The system account ``name`` (created once: no home, no shell, no password)."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    with open(STATE_DIR / "useradd.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return pwd.getpwnam(name)
        except KeyError:
            result = _run_quiet(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                                 "--user-group", name])
            if result.returncode != 0:
                raise SandboxUnavailable(f"cannot create the sandbox account {name}: {result.stderr.strip()}")
    return pwd.getpwnam(name)


class Slot:
    """A lease on one sandbox account, held (flock) for as long as one kernel runs."""

    def __init__(self) -> None:
        self.uid = self.gid = None
        self.name = None
        self._lock = None
        if os.geteuid() != 0:
            return  # without root the kernel keeps the caller's uid inside a user namespace
        STATE_DIR.mkdir(parents=True, exist_ok=True)
        os.chmod(STATE_DIR, 0o700)
        for index in range(MAX_SLOTS):
            handle = open(STATE_DIR / f"slot-{index}.lock", "w")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            account = ensure_user(f"{USER_PREFIX}{index}")
            self.uid, self.gid, self.name, self._lock = account.pw_uid, account.pw_gid, account.pw_name, handle
            return
        raise SandboxUnavailable(f"all {MAX_SLOTS} sandbox slots are in use")

    def release(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(p) for p in handle.read().split()]
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return found


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (as seen now)."""
    seen, todo = [], [pid]
    while todo and len(seen) < 100_000:
        current = todo.pop()
        seen.append(current)
        todo += _children(current)
    return seen


MPL_CONFIG = f"{HOME}/.config/matplotlib"
_font_cache: list[Path] | None = None  # this process's matplotlib font list, built once


def _font_cache_files() -> list[Path]:
    """matplotlib's font list for this machine's fonts, built once per process in a child process.

    Every kernel starts with an empty matplotlib folder; without this file each one would scan
    every system font again before its first plot (notebooks run outside a sandbox keep theirs).
    """
    global _font_cache
    if _font_cache is None:
        folder = Path(tempfile.mkdtemp(prefix="course-fontcache-"))
        os.chmod(folder, 0o755)
        atexit.register(shutil.rmtree, folder, True)
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], timeout=120, capture_output=True,
                           env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "MPLCONFIGDIR": str(folder)})
        _font_cache = sorted(folder.glob("fontlist-*.json"))
        for path in _font_cache:
            os.chmod(path, 0o644)
    return _font_cache


def _font_cache_binds() -> list[str]:
    """A writable matplotlib folder in the sandbox's home, holding the font list read-only."""
    args = ["--perms", "0777", "--dir", f"{HOME}/.config", "--perms", "0777", "--dir", MPL_CONFIG]
    for path in _font_cache_files():
        args += ["--ro-bind", str(path), f"{MPL_CONFIG}/{path.name}"]
    return args


def _within(path: str, folders) -> bool:
    """Whether ``path`` is one of ``folders`` or lies below one of them."""
    return any(path == folder or path.startswith(folder.rstrip("/") + "/") for folder in folders)


def package_folder(name: str) -> str:
    """The real folder a top-level package is imported from (found without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SandboxUnavailable(f"the package {name} is not installed; run `make install`")
    return os.path.realpath(list(spec.submodule_search_locations)[0])


def _parents(dest: str) -> list[str]:
    """bwrap creates missing parent folders with the caller's umask; make them world-traversable (0755)."""
    args = []
    for parent in reversed(Path(dest).parents):
        if str(parent) != "/":
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def _pss_bytes(pid: int) -> int:
    """Proportional set size: shared pages (a forked child's copy-on-write memory) count once overall."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (0 if it is gone); the sandbox's watchdog and the graders' use it."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


class Sandbox:
    """One kernel's sandbox: use as a context manager; ``wrap`` turns a kernel command into a sandboxed one."""

    def __init__(self, limits: Limits, files_from: Path | None = None, skip_files=lambda rel: False,
                 forbidden: tuple = (), runtime_in: Path | None = None) -> None:
        self.limits = limits
        self.runtime_in = runtime_in  # where its sockets and files live on the host (default: the temp folder)
        self.forbidden = tuple(str(p) for p in forbidden)
        self.files_from = Path(files_from) if files_from else None
        self.skip_files = skip_files
        self.kill_reason: str | None = None
        self.copy_report = CopyReport()
        self.outer_pid: int | None = None
        self.peak_memory = 0
        self._stop = threading.Event()
        self._monitor: threading.Thread | None = None
        self.runtime: Path | None = None
        self.submission: Path | None = None
        self.slot: Slot | None = None
        self._init_pid: int | None = None
        self._work_fd: int | None = None  # the work folder, opened before any student code ran

    # --- life cycle -------------------------------------------------------------------------------
    def __enter__(self) -> "Sandbox":
        self.bwrap = bwrap_path()
        self.slot = Slot()
        try:
            self.runtime = Path(tempfile.mkdtemp(prefix="course-sandbox-", dir=self.runtime_in))
            os.chmod(self.runtime, 0o700)  # the sandbox reaches its parts through bind mounts only
            self.ipc_dir = self.runtime / "ipc"
            self.ipc_dir.mkdir(mode=0o700)
            if self.slot.uid is not None:
                os.chown(self.ipc_dir, self.slot.uid, self.slot.gid)
            self.submission = self.runtime / "submission"
            self.take_files()
            self._write_etc()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def take_files(self) -> None:
        """Copy the submission's regular files (within the limits) into the folder the sandbox binds, readable inside."""
        if self.files_from is not None:
            self.copy_report = copy_regular_files(
                self.files_from, self.submission, self.limits.file_size_mb * 2**20,
                self.limits.disk_mb * 2**20 // 2, skip=self.skip_files,
            )
        self.submission.mkdir(exist_ok=True)
        for path in [self.submission, *self.submission.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.kill(None)
        if self._monitor is not None:
            self._monitor.join(timeout=5)
        if self._work_fd is not None:
            os.close(self._work_fd)
            self._work_fd = None
        if self.runtime is not None:
            shutil.rmtree(self.runtime, ignore_errors=True)
        if self.slot is not None:
            self.slot.release()

    def _write_etc(self) -> None:
        uid, gid = (self.slot.uid, self.slot.gid) if self.slot.uid is not None else (os.getuid(), os.getgid())
        etc = self.runtime / "etc"
        etc.mkdir()
        (etc / "passwd").write_text(
            f"root:x:0:0:root:/root:/usr/sbin/nologin\nstudent:x:{uid}:{gid}:student:{HOME}:/bin/sh\n"
            "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
        )
        (etc / "group").write_text(f"root:x:0:\nstudent:x:{gid}:\nnogroup:x:65534:\n")
        (etc / "hosts").write_text("127.0.0.1 localhost sandbox\n::1 localhost\n")
        for path in etc.iterdir():
            os.chmod(path, 0o644)

    # --- the command ------------------------------------------------------------------------------
    def _system_binds(self) -> list[str]:
        args = ["--ro-bind", "/usr", "/usr"]
        for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            path = Path("/") / name
            if path.is_symlink():
                args += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                args += ["--ro-bind", str(path), str(path)]
        args += ["--dir", "/etc"]
        for name in ETC_FILES:
            if os.path.exists(f"/etc/{name}"):
                args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
        for name in ("passwd", "group", "hosts"):
            args += ["--ro-bind", str(self.runtime / "etc" / name), f"/etc/{name}"]
        return args

    def _python_binds(self) -> list[str]:
        """The Python installation, the venv, and of the course only its sandbox-side package ``mlphys``."""
        binds: dict[str, str] = {}
        for path in (sys.base_prefix, sys.prefix):
            real = os.path.realpath(path)
            if real != "/usr" and not real.startswith("/usr/"):
                binds[path] = real
                binds[real] = real
        inside = package_folder("mlphys")
        binds[inside] = inside
        # site-packages a .pth file adds (course_lib/hub/runtime.py: a runtime every account can run)
        for entry in sys.path:
            if entry.rstrip("/").endswith(("site-packages", "dist-packages")) and os.path.isdir(entry):
                real = os.path.realpath(entry)
                if not _within(real, ("/usr", *binds.values())):
                    binds.setdefault(entry, real)
                    binds.setdefault(real, real)
        for dest, src in binds.items():
            for secret in self.forbidden:
                secret = os.path.realpath(secret)
                if _within(secret, (src,)):
                    raise SandboxUnavailable(
                        f"the sandbox would expose {secret} through {src}; keep the venv and the course packages outside "
                        "the folders that hold submissions, graders and the gradebook"
                    )
        args = []
        for dest, src in binds.items():
            args += _parents(dest) + ["--ro-bind", src, dest]
        # The trusted package is never importable inside, even where the venv holds a copy of it
        # (a non-editable install): an empty, read-only folder covers it.
        trusted = package_folder("course_lib")
        if _within(trusted, ("/usr", *binds.values())):
            args += ["--perms", "0555", "--tmpfs", trusted, "--remount-ro", trusted]
        return args

    def jail(self, capabilities: tuple[str, ...] = ()) -> list[str]:
        """bwrap and its arguments up to the command: namespaces, file system, and any capabilities kept (root only)."""
        lim = self.limits
        args = [
            self.bwrap,
            "--die-with-parent", "--new-session",
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--hostname", "sandbox",
        ]
        if self.slot.uid is None:
            args += ["--unshare-user"]
        for capability in capabilities:
            args += ["--cap-add", capability]
        args += self._system_binds()
        args += [
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", str(lim.tmp_mb * 2**20), "--tmpfs", "/tmp",
            "--perms", "0777", "--dir", HOME,
            *_font_cache_binds(),
            "--perms", "0755", "--dir", "/home",
            "--perms", "0755", "--dir", "/home/student",
            "--perms", "0777", "--size", str(lim.disk_mb * 2**20), "--tmpfs", WORK,
            "--perms", "0755", "--dir", "/run",
            # after the private /tmp: a course checked out under /tmp keeps its venv and mlphys visible
            *self._python_binds(),
            "--ro-bind", str(self.submission), SUBMISSION,
            *_parents(str(self.ipc_dir)), "--bind", str(self.ipc_dir), str(self.ipc_dir),
            "--chdir", WORK,
        ]
        return args

    def rlimits(self) -> dict[str, int]:
        """The rlimits every sandboxed process starts under (named as in the ``resource`` module)."""
        lim = self.limits
        return {"RLIMIT_DATA": lim.memory_mb * 2**20, "RLIMIT_CPU": lim.cpu_seconds, "RLIMIT_NPROC": lim.processes,
                "RLIMIT_FSIZE": lim.file_size_mb * 2**20, "RLIMIT_NOFILE": lim.open_files, "RLIMIT_CORE": 0}

    def command(self, kernel_cmd: list[str]) -> list[str]:
        limits = [f"--{name.removeprefix('RLIMIT_').lower()}={value}" for name, value in self.rlimits().items()]
        args = self.jail() + ["--", "prlimit", *limits, "--"]
        if self.slot.uid is not None:
            args += [
                "setpriv", f"--reuid={self.slot.uid}", f"--regid={self.slot.gid}", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
            ]
        # setsid: the kernel leads its own process group, so an interrupt (ipykernel signals its group)
        # reaches the kernel and its children, never bwrap's init.
        copy_in = f'cp -R {SUBMISSION}/. {WORK}/ 2>/dev/null; cd {WORK} && exec setsid "$@"'
        return args + ["/bin/sh", "-c", copy_in, "kernel", *kernel_cmd]

    def environment(self, env: dict) -> dict:
        """The kernel's environment inside: the caller's allow-listed variables, with sandbox paths."""
        env = dict(env)
        # ipykernel would take bwrap's init (PID 1 in the sandbox) for a dead parent and quit;
        # the sandbox dies with the grading process anyway (--die-with-parent).
        env.pop("JPY_PARENT_PID", None)
        threads = str(self.limits.threads)
        env.update(
            HOME=HOME, USER="student", LOGNAME="student", TMPDIR="/tmp",
            MPLCONFIGDIR=MPL_CONFIG, PYTHONNOUSERSITE="1", PYTHONDONTWRITEBYTECODE="1",
            OMP_NUM_THREADS=threads, OPENBLAS_NUM_THREADS=threads, MKL_NUM_THREADS=threads,
            TF_NUM_INTRAOP_THREADS=threads, TF_NUM_INTEROP_THREADS=threads,
        )
        return env

    # --- while the kernel runs --------------------------------------------------------------------
    def attach(self, outer_pid: int) -> None:
        """Start watching the sandbox whose outermost process (bwrap) is ``outer_pid``."""
        self.outer_pid = outer_pid
        self._monitor = threading.Thread(target=self._watch, name="sandbox-watchdog", daemon=True)
        self._monitor.start()

    def _watch(self) -> None:
        limit = self.limits.memory_mb * 2**20
        while not self._stop.wait(0.2):
            pids = process_tree(self.outer_pid)[1:]  # bwrap itself is outside
            if not pids:
                if not os.path.exists(f"/proc/{self.outer_pid}"):
                    return
                continue
            if len(pids) > max(16, self.limits.processes // 2):
                self.kill(f"it started more than {max(16, self.limits.processes // 2)} processes at once (a fork bomb?)")
                return
            used = sum(rss_bytes(p) for p in pids)
            if used > limit:  # RSS counts shared pages once per process; decide on the exact measure
                used = sum(_pss_bytes(p) for p in pids)
            self.peak_memory = max(self.peak_memory, used)
            if used > limit:
                self.kill(f"it used more than its memory limit of {self.limits.memory_mb} MB")
                return

    def kill(self, reason: str | None) -> None:
        """Kill every process of the sandbox (the PID namespace dies with its init)."""
        if reason and not self.kill_reason:
            self.kill_reason = reason
        if self.outer_pid is None:
            return
        for pid in dict.fromkeys(filter(None, [self._init_pid, *reversed(process_tree(self.outer_pid)[:2])])):
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def seal(self) -> None:
        """Once the kernel has bound its sockets, before any student code: lock what the kernel could steer.

        Its socket folder becomes read-only to it, so it can neither fill the host's disk through
        that folder nor swap a socket for a symlink to some other socket on the host that the
        (root) grader would reconnect to. And the work folder is opened now, while nothing of the
        student's has run, so copy_back never resolves a path inside the sandbox again.
        """
        if os.geteuid() == 0:
            os.chown(self.ipc_dir, 0, 0)
        os.chmod(self.ipc_dir, 0o500)
        self._init_pid = self.init_pid()
        if self._init_pid is not None and self._work_fd is None:
            root = os.open(f"/proc/{self._init_pid}/root", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                self._work_fd = open_below(root, WORK.lstrip("/"))
            finally:
                os.close(root)

    def init_pid(self) -> int | None:
        kids = _children(self.outer_pid) if self.outer_pid else []
        return kids[0] if kids else None

    def exit_reason(self, returncode: int | None) -> str:
        """Why the kernel is gone, in words a student understands."""
        if self.kill_reason:
            return self.kill_reason
        if returncode is None:
            return "it stopped responding"
        code = returncode - 128 if returncode > 128 else (-returncode if returncode < 0 else None)
        if code == signal.SIGXCPU:
            return f"it used more than its CPU time limit of {self.limits.cpu_seconds} s"
        if code == signal.SIGXFSZ:
            return f"it wrote a file larger than the limit of {self.limits.file_size_mb} MB"
        if code == signal.SIGKILL:
            return "it was killed (SIGKILL), for example by itself or by running out of memory"
        if code is not None:
            return f"it was ended by signal {signal.Signals(code).name if code in signal.Signals._value2member_map_ else code}"
        return f"the process exited with status {returncode} (os._exit, sys.exit at process level, or a crash)"

    def copy_back(self, dest: Path) -> CopyReport:
        """Copy the files the notebook created in its work folder to ``dest`` (never overwriting, within bounds).

        Every process of the sandbox is dead first (the PID namespace is gone), so nothing can
        swap a folder for a link while the copy runs; the copy then walks the work folder from
        the handle opened before any student code ran, one ``O_NOFOLLOW`` component at a time.
        """
        report = CopyReport()
        self.kill(None)
        if self._work_fd is None or not self._wait_until_dead():
            return report
        existing: set[str] = set()
        if self.submission is not None and self.submission.is_dir():
            submission_fd = open_folder(self.submission)
            try:
                existing = {rel for rel, *_ in walk_files(submission_fd, CopyReport())}
            finally:
                os.close(submission_fd)

        def skip(rel: str) -> bool:
            return rel in existing or rel.endswith(".ipynb") or rel == "timestamp.txt"

        dest_fd = open_folder(dest)
        try:
            return copy_tree(self._work_fd, dest_fd, COPY_BACK_FILE, COPY_BACK_TOTAL, COPY_BACK_FILES, skip, report)
        finally:
            os.close(dest_fd)

    def _wait_until_dead(self, within: float = 10.0) -> bool:
        """Whether every process of the sandbox has exited (the namespace's init among them)."""
        deadline = time.monotonic() + within
        pids = [p for p in (self._init_pid, self.outer_pid) if p]
        while time.monotonic() < deadline:
            if all(_exited(pid) for pid in pids):
                return True
            time.sleep(0.02)
        return False


def _exited(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return True


def sandbox_check() -> None:
    """Raise SandboxUnavailable with a clear message unless a sandboxed process can start here."""
    path = bwrap_path()
    with tempfile.TemporaryDirectory() as tmp:
        result = _run_quiet([path, "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--dev", "/dev",
                             "--proc", "/proc", "--tmpfs", tmp]
                            + ([] if os.geteuid() == 0 else ["--unshare-user"]) + ["--", "/bin/true"])
    if result.returncode != 0:
        hint = "" if os.geteuid() == 0 else " (without root, bwrap needs unprivileged user namespaces)"
        raise SandboxUnavailable(f"bubblewrap cannot create a sandbox here{hint}: {result.stderr.strip()[:300]}")
