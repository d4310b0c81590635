"""Copying a submission's files without following anything a student planted.

A submission folder is untrusted: it may hold symlinks to the gradebook or /etc/shadow,
FIFOs, device nodes, files of hundreds of megabytes, millions of empty folders, or names
that are not UTF-8. Every walk here goes from one open folder handle to the next with
``openat(..., O_NOFOLLOW)``, one path component at a time, so no path is ever resolved
through a link, whoever swaps what while the walk runs. Only regular files and folders
travel, within a budget of entries, files, bytes and depth; everything else is skipped and
named in the notes.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

CHUNK = 1 << 20
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
MAX_ENTRIES = 20_000  # names looked at in one walk, folders included
MAX_DEPTH = 32


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


def open_folder(path: str | os.PathLike, dir_fd: int | None = None) -> int:
    """A handle on the folder ``path`` (relative to ``dir_fd``), refusing a symlink as its last component."""
    return os.open(path, DIR_FLAGS, dir_fd=dir_fd)


def open_below(root_fd: int, rel: str) -> int:
    """A handle on the folder ``rel`` below ``root_fd``, opened one component at a time without following links."""
    fd = os.dup(root_fd)
    try:
        for part in Path(rel).parts:
            if part in ("..", "/"):
                raise OSError(f"{rel}: leaves its folder")
            nxt = open_folder(part, fd)
            os.close(fd)
            fd = nxt
    except BaseException:
        os.close(fd)
        raise
    return fd


def walk_files(root_fd: int, report: CopyReport, max_entries: int = MAX_ENTRIES):
    """(relative path, parent folder handle, name, lstat) of every regular file below ``root_fd``.

    The parent handle is valid only until the next item. Links, devices, FIFOs, sockets,
    undecodable names, folders deeper than MAX_DEPTH and anything past ``max_entries``
    names go to ``report.skipped``.
    """
    seen = 0
    stack = [("", os.dup(root_fd), 0)]
    try:
        while stack:
            prefix, fd, depth = stack.pop()
            try:
                try:
                    names = sorted(os.listdir(fd))
                except OSError:
                    continue
                subfolders = []
                for name in names:
                    rel = f"{prefix}{name}"
                    seen += 1
                    if seen > max_entries:
                        report.skipped.append(f"{_display(prefix or '.')}: more than {max_entries} files and folders "
                                              "in the submission; the rest was not looked at")
                        return
                    try:
                        info = os.stat(name, dir_fd=fd, follow_symlinks=False)
                    except OSError:
                        continue
                    if not _safe_name(rel):
                        report.skipped.append(f"{_display(rel)}: the name is not valid UTF-8 text")
                    elif stat.S_ISLNK(info.st_mode):
                        report.skipped.append(f"{_display(rel)}: a symbolic link (not followed)")
                    elif stat.S_ISDIR(info.st_mode):
                        if depth + 1 >= MAX_DEPTH:
                            report.skipped.append(f"{_display(rel)}: folders nested more than {MAX_DEPTH} deep")
                        else:
                            subfolders.append(name)
                    elif not stat.S_ISREG(info.st_mode):
                        report.skipped.append(f"{_display(rel)}: not a regular file")
                    else:
                        yield rel, fd, name, info
                for name in reversed(subfolders):
                    try:
                        stack.append((f"{prefix}{name}/", open_folder(name, fd), depth + 1))
                    except OSError:  # swapped for a link or removed meanwhile
                        report.skipped.append(f"{_display(prefix + name)}: changed while being copied (not followed)")
            finally:
                os.close(fd)
    finally:
        for _, fd, _ in stack:
            os.close(fd)


def read_file_at(dir_fd: int | None, name: str | os.PathLike, limit: int) -> bytes | None:
    """The bytes of the regular file ``name`` (never through a link), or None if it is not one or exceeds ``limit``."""
    try:
        fd = os.open(name, FILE_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = handle.read(limit + 1)
    return data if len(data) <= limit else None


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file (the last component never a symlink), or None."""
    return read_file_at(None, path, limit)


def _write_new(dst_fd: int, rel: str, data: bytes) -> bool:
    """Create ``rel`` below ``dst_fd`` (folders as needed, never through a link, never overwriting)."""
    *folders, name = rel.split("/")
    fd = os.dup(dst_fd)
    try:
        for part in folders:
            try:
                os.mkdir(part, 0o755, dir_fd=fd)
            except FileExistsError:
                pass
            nxt = open_folder(part, fd)
            os.close(fd)
            fd = nxt
        out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=fd)
    except OSError:
        return False
    finally:
        os.close(fd)
    with os.fdopen(out, "wb") as handle:
        handle.write(data)
    return True


def copy_tree(
    src_fd: int,
    dst_fd: int,
    max_file_bytes: int,
    max_total_bytes: int,
    max_files: int = 2000,
    skip=lambda rel: False,
    report: CopyReport | None = None,
) -> CopyReport:
    """Copy the regular files below ``src_fd`` into ``dst_fd`` within the given sizes; never overwrite."""
    report = report if report is not None else CopyReport()
    for rel, parent, name, info in walk_files(src_fd, report):
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
        data = read_file_at(parent, name, max_file_bytes)
        if data is None or report.bytes + len(data) > max_total_bytes:
            report.skipped.append(f"{_display(rel)}: changed while being copied")
            continue
        if not _write_new(dst_fd, rel, data):
            report.skipped.append(f"{_display(rel)}: not written (a file or folder of that name exists)")
            continue
        report.copied.append(rel)
        report.bytes += len(data)
    return report


def copy_regular_files(
    src: Path,
    dst: Path,
    max_file_bytes: int,
    max_total_bytes: int,
    max_files: int = 2000,
    skip=lambda rel: False,
) -> CopyReport:
    """Copy the regular files of the folder ``src`` into ``dst`` (created), within the given sizes."""
    dst.mkdir(parents=True, exist_ok=True)
    src_fd, dst_fd = open_folder(src), open_folder(dst)
    try:
        return copy_tree(src_fd, dst_fd, max_file_bytes, max_total_bytes, max_files, skip)
    finally:
        os.close(src_fd)
        os.close(dst_fd)


def tree_checksum(src: Path, max_hashed_bytes: int = 64 * 2**20) -> str:
    """A checksum of a submission folder: names, kinds and contents (large files by size and mtime).

    The walk keeps its own stack (``os.walk`` recurses on Python 3.11, and a student can nest
    folders thousands deep) and never follows a link.
    """
    digest = hashlib.sha256()
    stack = [str(src)]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            info = entry.stat(follow_symlinks=False)
            rel = os.path.relpath(entry.path, src).encode("utf-8", "surrogateescape")
            if stat.S_ISDIR(info.st_mode):
                subfolders.append(entry.path)
                continue
            digest.update(b"\0" + rel + b"\0" + str(stat.S_IFMT(info.st_mode)).encode())
            if stat.S_ISLNK(info.st_mode):
                digest.update(os.readlink(entry.path).encode("utf-8", "surrogateescape"))
            elif stat.S_ISREG(info.st_mode):
                if info.st_size > max_hashed_bytes:
                    digest.update(f"{info.st_size}:{info.st_mtime_ns}".encode())
                else:
                    with open(entry.path, "rb") as handle:
                        for chunk in iter(lambda: handle.read(CHUNK), b""):
                            digest.update(chunk)
        stack.extend(reversed(subfolders))  # depth first in name order, as the checksums in existing journals were made
    return digest.hexdigest()
