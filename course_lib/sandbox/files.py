"""Copying a submission's files without following anything a student planted.

A submission folder is untrusted: it may hold symlinks to the gradebook or /etc/shadow,
FIFOs, device nodes, files of hundreds of megabytes, or names that are not UTF-8. Only
regular files travel, opened with O_NOFOLLOW below a folder that is walked without
following links; everything else is skipped and named in the notes.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

CHUNK = 1 << 20


@dataclass
class CopyReport:
    copied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "name: why", for the instructor's log and the student's feedback
    bytes: int = 0


def _safe_name(rel: str) -> bool:
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes arrive as surrogates
        return False
    return not any(ord(ch) < 32 or ch == "\x7f" for ch in rel)


def _display(rel: str) -> str:
    return rel.encode("utf-8", "backslashreplace").decode("utf-8").encode("unicode_escape").decode("ascii")[:200]


def iter_regular_files(src: Path, report: CopyReport):
    """(relative path, lstat) of every regular file below ``src``; everything else goes to report.skipped."""
    for folder, dirs, files in os.walk(src, followlinks=False):
        base = Path(folder)
        for name in sorted(dirs):
            info = os.lstat(base / name)
            if stat.S_ISLNK(info.st_mode):
                report.skipped.append(f"{_display(str((base / name).relative_to(src)))}: a symbolic link (not followed)")
        dirs[:] = sorted(d for d in dirs if not os.path.islink(base / d))
        for name in sorted(files):
            rel = str((base / name).relative_to(src))
            info = os.lstat(base / name)
            if stat.S_ISLNK(info.st_mode):
                report.skipped.append(f"{_display(rel)}: a symbolic link (not followed)")
            elif not stat.S_ISREG(info.st_mode):
                report.skipped.append(f"{_display(rel)}: not a regular file")
            elif not _safe_name(rel):
                report.skipped.append(f"{_display(rel)}: the file name is not valid UTF-8 text")
            else:
                yield rel, info


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file (never through a symlink), or None if it is not one or exceeds ``limit``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = handle.read(limit + 1)
    return data if len(data) <= limit else None


def copy_regular_files(
    src: Path,
    dst: Path,
    max_file_bytes: int,
    max_total_bytes: int,
    max_files: int = 2000,
    skip=lambda rel: False,
) -> CopyReport:
    """Copy the regular files of ``src`` into ``dst`` (created), within the given sizes."""
    report = CopyReport()
    dst.mkdir(parents=True, exist_ok=True)
    for rel, info in iter_regular_files(src, report):
        if skip(rel):
            continue
        if len(report.copied) >= max_files:
            report.skipped.append(f"{_display(rel)}: more than {max_files} files")
            continue
        if info.st_size > max_file_bytes:
            report.skipped.append(f"{_display(rel)}: {info.st_size / 2**20:.0f} MB is larger than {max_file_bytes / 2**20:.0f} MB")
            continue
        if report.bytes + info.st_size > max_total_bytes:
            report.skipped.append(f"{_display(rel)}: the files together exceed {max_total_bytes / 2**20:.0f} MB")
            continue
        data = read_regular(src / rel, max_file_bytes)
        if data is None:
            report.skipped.append(f"{_display(rel)}: changed while being copied")
            continue
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        report.copied.append(rel)
        report.bytes += len(data)
    return report


def tree_checksum(src: Path, max_hashed_bytes: int = 64 * 2**20) -> str:
    """A checksum of a submission folder: names, kinds and contents (large files by size and mtime)."""
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(src, followlinks=False):
        dirs.sort()
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]):
            path = os.path.join(folder, name)
            info = os.lstat(path)
            rel = os.path.relpath(path, src).encode("utf-8", "surrogateescape")
            digest.update(b"\0" + rel + b"\0" + str(stat.S_IFMT(info.st_mode)).encode())
            if stat.S_ISLNK(info.st_mode):
                digest.update(os.readlink(path).encode("utf-8", "surrogateescape"))
            elif stat.S_ISREG(info.st_mode):
                if info.st_size > max_hashed_bytes:
                    digest.update(f"{info.st_size}:{info.st_mtime_ns}".encode())
                else:
                    with open(path, "rb") as handle:
                        for chunk in iter(lambda: handle.read(CHUNK), b""):
                            digest.update(chunk)
    return digest.hexdigest()
