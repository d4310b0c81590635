"""What the exchange and its clients send each other: gzip'd tar archives of plain files, and timestamps."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import zlib
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

# nbgrader's own format, so `collect`, lateness and feedback read our timestamps unchanged.
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
# Files only the platform writes into a stored submission; a student's copies are dropped.
PLATFORM_FILES = frozenset({"timestamp.txt", "submission_secret.txt", "receipt.json"})


# Bounds on what an archive may hold, checked before anything is written (names in bytes of UTF-8).
MAX_NAME_BYTES = 200  # one file or folder name (the filesystem's own limit is 255)
MAX_PATH_BYTES = 1000  # a whole relative path
MAX_DEPTH = 20  # folders deep


class ArchiveError(ValueError):
    """An archive that is not a plain set of files within the limits; ``status`` is the HTTP answer (413: too big)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def format_timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(TIMESTAMP_FORMAT)


def pack(folder: Path, include=None) -> bytes:
    """A tar.gz of the regular files under ``folder`` for which ``include(relative_path)`` is true."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
        for path in sorted(Path(folder).rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink() or not path.is_file():
                continue
            if include is not None and not include(rel):
                continue
            info = tar.gettarinfo(str(path), arcname=rel)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o644
            with open(path, "rb") as fh:
                tar.addfile(info, fh)
    return buffer.getvalue()


def pack_files(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def safe_name(name: str) -> str:
    """A relative POSIX path with no '..', no absolute part, no control characters, within the length limits."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        raise ArchiveError(f"unsafe path in archive: {name[:80]!r}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name) or "\\" in name:
        raise ArchiveError(f"unsafe path in archive: {name[:80]!r}")
    if len(name.encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES:
        raise ArchiveError(f"a path in the archive is longer than the limit of {MAX_PATH_BYTES} bytes: {name[:80]!r}...")
    if len(path.parts) > MAX_DEPTH:
        raise ArchiveError(f"a path in the archive is nested deeper than the limit of {MAX_DEPTH} folders: {name[:80]!r}...")
    for part in path.parts:
        if len(part.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
            raise ArchiveError(f"a name in the archive is longer than the limit of {MAX_NAME_BYTES} bytes: {part[:80]!r}...")
    return path.as_posix()


def unpack(data: bytes, max_bytes: int, max_entries: int) -> dict[str, bytes]:
    """The files of a tar.gz, checked before anything is written: only regular files and folders,
    safe names within the length limits, at most ``max_entries`` entries (folders count too), at
    most ``max_bytes`` in all, no name twice and no file where another entry needs a folder."""
    files: dict[str, bytes] = {}
    folders: set[str] = set()
    total = entries = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar:
                entries += 1
                if entries > max_entries:
                    raise ArchiveError(f"the archive has more than the limit of {max_entries} entries (files and folders count)")
                if member.isdir():
                    folders.add(safe_name(member.name.rstrip("/")))
                    continue
                if not member.isreg():
                    raise ArchiveError(f"only regular files and folders may be sent, not {member.name[:80]!r} "
                                       f"(a link, device or other special entry)")
                name = safe_name(member.name)
                if name in files:
                    raise ArchiveError(f"the archive holds {name[:80]!r} twice")
                total += member.size
                if total > max_bytes:
                    raise ArchiveError(f"the files are larger than the limit of {max_bytes / 1_000_000:g} MB", status=413)
                extracted = tar.extractfile(member)
                files[name] = extracted.read() if extracted else b""
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise ArchiveError(f"not a valid tar.gz archive: {exc}") from exc
    parents = {parent.as_posix() for name in [*files, *folders] for parent in PurePosixPath(name).parents} - {"."}
    clash = sorted(parents & set(files)) or sorted(folders & set(files))
    if clash:
        raise ArchiveError(f"{clash[0][:80]!r} is both a file and a folder in the archive")
    return files


def write_tree(target: Path, files: dict[str, bytes], file_mode: int = 0o644, dir_mode: int = 0o755) -> None:
    """Write ``files`` under ``target`` (created), never following a symlink."""
    target.mkdir(mode=0o700)
    for name, data in files.items():
        dest = target.joinpath(*PurePosixPath(safe_name(name)).parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, file_mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    for folder, dirs, _ in os.walk(target, topdown=False):
        os.chmod(folder, dir_mode)


def freeze(target: Path) -> None:
    """Make a stored tree read-only: files 0444, folders 0555 (the service itself never writes there again)."""
    for folder, dirs, files in os.walk(target):
        for name in files:
            os.chmod(os.path.join(folder, name), stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    for folder, dirs, files in os.walk(target, topdown=False):
        os.chmod(folder, 0o555)
