"""The kernel zygote: imports a kernel's libraries once, then forks one fresh kernel per submission.

Started by the trusted side (``course_lib.sandbox.zygote``) as root inside a bubblewrap sandbox
that already has no network, a read-only system and none of the course. It never runs student
code itself and reads nothing a student wrote. For each submission it forks, and the child puts
the new kernel into namespaces of its own before any student code runs:

* a PID namespace whose init is the child (killing it ends every process of the submission),
  with its own ``/proc``: the zygote and earlier submissions are invisible;
* a mount namespace with a fresh, size-limited ``/tmp`` and work folder (nothing of an earlier
  submission survives), into which the kernel copies its submission's files;
* the submission's own account, no capabilities (bounding set included), ``no_new_privs``, the
  sandbox's rlimits, a session of its own, and none of the zygote's open control pipes.

Protocol (one JSON object per line): the trusted side sends a spawn request; the zygote answers
``{"ready": ...}`` once at start, ``{"started": pid}`` for each kernel and ``{"exited": code}``
when that kernel's namespace is gone (code 128 + N: ended by signal N).
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import json
import os
import resource
import shutil
import sys

CLONE_NEWNS, CLONE_NEWPID = 0x00020000, 0x20000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18
PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 38, 24, 47, 4
MAX_REQUEST = 1 << 20
SUBMISSION = "/run/submission"
KERNEL_LIBRARIES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "matplotlib_inline.backend_inline")

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    encode = lambda text: text.encode() if text is not None else None  # noqa: E731
    _check(_libc.mount(encode(source), encode(target), encode(fstype), ctypes.c_ulong(flags), encode(data)),
           f"mount {target}")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _drop_privileges(uid: int, gid: int) -> None:
    """Become the submission's account with no capability left and no way to gain one."""
    cap = 0
    while _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0:
        cap += 1
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    empty = (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(_CapHeader(0x20080522, 0)), empty), "capset")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def _set_limits(limits: dict) -> None:
    for name, value in limits.items():
        resource.setrlimit(getattr(resource, name), (value, value))


def _private_proc() -> None:
    """Mounts that stay in this mount namespace, and a /proc that shows only this PID namespace."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)


def _fresh_folders(request: dict) -> None:
    """A private /proc, /tmp and work folder for this submission's namespaces."""
    _private_proc()
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={request['tmp_bytes']},mode=1777")
    for folder in request["home_folders"]:
        os.makedirs(folder, exist_ok=True)
        os.chmod(folder, 0o777)
    _mount("tmpfs", request["work"], "tmpfs", MS_NOSUID | MS_NODEV, f"size={request['work_bytes']},mode=0777")


def _run_kernel(request: dict) -> None:
    """In the submission's namespaces: drop everything, take its files, and become its kernel."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        if fd == 0 or not request.get("debug"):  # COURSE_SANDBOX_DEBUG keeps the kernel's own output
            os.dup2(devnull, fd)
    os.close(devnull)
    _set_limits(request["rlimits"])
    _drop_privileges(request["uid"], request["gid"])
    os.chdir(request["work"])
    try:  # as the student: what does not fit the work folder's size stays behind, as with `cp`
        shutil.copytree(SUBMISSION, ".", symlinks=True, dirs_exist_ok=True)
    except (OSError, shutil.Error):
        pass
    os.environ.clear()
    os.environ.update(request["env"])
    if "numpy" in sys.modules:  # the zygote's global random state would be every kernel's
        sys.modules["numpy"].random.seed()
    sys.argv = ["ipykernel_launcher", "-f", request["connection_file"]]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance()


def _exit_code(status: int) -> int:
    return 128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _as_init(kernel: int) -> None:
    """PID 1 of the submission's namespace: reap everything, end with the kernel's own exit code."""
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(1)
        if pid == kernel:
            os._exit(_exit_code(status))


def _spawn(request: dict | None, control: tuple[int, int]) -> int:
    """Fork the submission's first process; it makes the namespaces and their init, which forks the kernel.

    Without a request, the namespaces are made and left at once: the zygote's self-test.
    """
    child = os.fork()
    if child:
        return child
    try:
        for fd in control:  # nothing below the zygote can read its requests or forge its answers
            os.close(fd)
        _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID), "unshare")
        init = os.fork()
        if init:
            os._exit(_exit_code(os.waitpid(init, 0)[1]))
        if request is None:
            _private_proc()
            os._exit(0)
        _fresh_folders(request)
        kernel = os.fork()
        if kernel:
            _as_init(kernel)
        _run_kernel(request)
        os._exit(0)
    except BaseException:
        os._exit(70)


def _read_line(fd: int) -> bytes:
    line = bytearray()
    while not line.endswith(b"\n"):
        chunk = os.read(fd, 1)
        if not chunk:
            return b""
        line += chunk
        if len(line) > MAX_REQUEST:
            raise ValueError("request too long")
    return bytes(line)


def main() -> None:
    commands, answers = os.dup(0), os.dup(1)  # the control pipe, kept away from anything that prints
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    loaded = []
    for name in (*KERNEL_LIBRARIES, *sys.argv[1:]):
        try:
            importlib.import_module(name)
            loaded.append(name)
        except Exception:  # a library that cannot load here is imported by the kernel itself, as without a zygote
            pass
    gc.collect()
    gc.freeze()  # the kernels share these pages; their collector leaves them alone

    def answer(message: dict) -> None:
        os.write(answers, (json.dumps(message) + "\n").encode())

    test = _spawn(None, (commands, answers))
    code = _exit_code(os.waitpid(test, 0)[1])
    if code:  # this machine will not let it make namespaces: the trusted side starts kernels directly
        answer({"ready": None, "error": f"the zygote cannot make a kernel's namespaces here (exit code {code})"})
        return
    answer({"ready": loaded})
    while True:
        line = _read_line(commands)
        if not line:
            return
        child = _spawn(json.loads(line), (commands, answers))
        answer({"started": child})
        answer({"exited": _exit_code(os.waitpid(child, 0)[1])})


if __name__ == "__main__":
    main()
