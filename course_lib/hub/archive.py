"""What the exchange and its clients send each other: gzip'd tar archives of plain files, and timestamps."""

from __future__ import annotations

import io
import os
import stat
import tarfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

# nbgrader's own format, so `collect`, lateness and feedback read our timestamps unchanged.
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
# Files only the platform writes into a stored submission; a student's copies are dropped.
PLATFORM_FILES = frozenset({"timestamp.txt", "submission_secret.txt", "receipt.json"})


class ArchiveError(ValueError):
    """An archive that is not a plain set of files within the limits."""


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
    """A relative POSIX path with no '..', no absolute part and no control characters."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        raise ArchiveError(f"unsafe path in archive: {name!r}")
    if any(ord(ch) < 32 for ch in name) or "\\" in name:
        raise ArchiveError(f"unsafe path in archive: {name!r}")
    return path.as_posix()


def unpack(data: bytes, max_bytes: int, max_files: int) -> dict[str, bytes]:
    """The files of a tar.gz, checked: only regular files and folders, safe names, within the limits."""
    files: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar:
                if member.isdir():
                    safe_name(member.name.rstrip("/"))
                    continue
                if not member.isreg():
                    raise ArchiveError(f"only regular files may be sent, not {member.name!r}")
                name = safe_name(member.name)
                total += member.size
                if total > max_bytes:
                    raise ArchiveError(f"the files are larger than the limit of {max_bytes // 1_000_000} MB")
                if len(files) >= max_files:
                    raise ArchiveError(f"more than {max_files} files")
                extracted = tar.extractfile(member)
                files[name] = extracted.read() if extracted else b""
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(f"not a valid tar.gz archive: {exc}") from exc
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
