"""A Python that every account can run, with the course's packages: for users' servers and services.

As root the hub runs each user's server, kernels and terminal commands as that user's own
account. Usually the project's venv (``.venv/``) points at a system Python and every account
can run it. When the venv's interpreter lives where other accounts cannot reach (for example a
pyenv build under /root, mode 0700), this module builds a small runtime folder instead:

    <state>/runtime/bin/python3     -> the system's python3.X of the same version
    <state>/runtime/lib/.../site-packages/course-venv.pth   (adds .venv's site-packages)
    <state>/runtime/share, etc      -> .venv's (JupyterLab's assets, server extensions)
    <state>/runtime/bin/<script>    .venv's console scripts (nbgrader, jupyter, ...) re-pointed

No package is installed twice: the runtime uses the venv's packages, which are built for the
same Python version.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import sysconfig
from pathlib import Path

SYSTEM_BINS = "/usr/local/bin:/usr/bin:/bin"


def reachable_by_all(path: Path) -> bool:
    """Every folder on the way to ``path`` is world-searchable and the file itself world-readable."""
    path = path.resolve()
    for folder in path.parents:
        if not stat.S_IMODE(folder.stat().st_mode) & stat.S_IXOTH:
            return False
    return bool(stat.S_IMODE(path.stat().st_mode) & stat.S_IROTH)


def venv_is_shared() -> bool:
    """Other accounts can run this venv's interpreter and its standard library."""
    try:
        return reachable_by_all(Path(sys.executable)) and reachable_by_all(Path(sysconfig.get_paths()["stdlib"]) / "os.py")
    except OSError:
        return False


def user_runtime(state: Path) -> Path:
    """The bin/ folder to run users' Python from (the venv's own when every account can use it)."""
    venv = Path(sys.prefix)
    if venv_is_shared():
        return venv / "bin"
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = shutil.which(version, path=SYSTEM_BINS)
    if not system or not reachable_by_all(Path(system)):
        raise RuntimeError(f"the venv's Python ({sys.executable}) cannot be run by other accounts, and there is no "
                           f"system {version} they could run instead: install Debian's {version} (apt-get install {version})")
    runtime = state / "runtime"
    staging = state / "runtime.new"
    shutil.rmtree(staging, ignore_errors=True)
    bin_dir = staging / "bin"
    site = staging / "lib" / version / "site-packages"
    bin_dir.mkdir(parents=True)
    site.mkdir(parents=True)
    (staging / "pyvenv.cfg").write_text(
        f"home = {Path(system).parent}\ninclude-system-site-packages = false\nversion = {sys.version_info.major}.{sys.version_info.minor}\n")
    os.symlink(system, bin_dir / "python3")
    os.symlink("python3", bin_dir / "python")
    os.symlink("python3", bin_dir / version)
    venv_site = Path(sysconfig.get_paths()["purelib"])
    (site / "course-venv.pth").write_text(f"import site; site.addsitedir({str(venv_site)!r})\n")
    for name in ("share", "etc"):
        if (venv / name).exists():
            os.symlink(venv / name, staging / name)
    shebang = f"#!{venv / 'bin' / 'python'}".encode()
    shebangs = {f"#!{venv / 'bin' / n}".encode() for n in ("python", "python3", version)}
    for script in sorted((venv / "bin").iterdir()):
        if not script.is_file() or script.is_symlink() or script.name.startswith("python"):
            continue
        head = script.read_bytes()[:200].split(b"\n", 1)[0]
        if head in shebangs or head == shebang:
            body = script.read_bytes().split(b"\n", 1)[1]
            target = bin_dir / script.name
            target.write_bytes(f"#!{bin_dir / 'python3'}".encode().replace(str(staging).encode(), str(runtime).encode()) + b"\n" + body)
            target.chmod(0o755)
    for folder, dirs, files in os.walk(staging):
        os.chmod(folder, 0o755)
    shutil.rmtree(runtime, ignore_errors=True)
    staging.rename(runtime)
    os.chmod(state, stat.S_IMODE(state.stat().st_mode) | 0o011)
    return runtime / "bin"
