"""Pseudonyms: students appear on the boards under a name of their choice or a generated one.

A generated pseudonym is "<Adjective> <Physicist> <number>", e.g. "Curious Noether 17". A chosen
one must be 3 to 32 characters of letters, digits, spaces and ``-_.``. Nobody can appear as
someone else: it must not equal another student's pseudonym, any hub user name (students' and
instructors', asked of the hub when the name is chosen), any student's real name or one of the
platform's own names (`RESERVED`). Names are compared by their `skeleton`: Unicode NFKC,
invisible format characters (zero-width spaces, joiners, direction marks) removed, case folded,
spaces and ``._-`` ignored, so "ＡＤＡ", "a\u200bda" (with a zero-width space) and "A.da" all
clash with "ada". Instructors always see real names.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from course_lib.leaderboard.schema import Student
from course_lib.leaderboard.store import Store

ADJECTIVES = (
    "Adiabatic", "Brave", "Coherent", "Curious", "Entangled", "Ergodic", "Gentle", "Hidden",
    "Lucid", "Nimble", "Patient", "Quantum", "Quiet", "Rapid", "Silent", "Steady", "Stochastic",
    "Swift", "Tidy", "Vivid",
)
PHYSICISTS = (
    "Bohr", "Boltzmann", "Curie", "Dirac", "Einstein", "Fermi", "Feynman", "Gibbs", "Heisenberg",
    "Hopfield", "Ising", "Landau", "Maxwell", "Meitner", "Noether", "Pauli", "Planck", "Rosenblatt",
    "Schroedinger", "Wu",
)
PSEUDONYM_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{1,30}[A-Za-z0-9._-]$")
# The platform's own names: its roles, services and accounts, and words the boards use for others.
RESERVED = (
    "instructor", "instructors", "teacher", "tutor", "admin", "administrator", "root", "staff", "grader",
    "formgrader", "course-admin", "course-status", "exchange", "leaderboard", "hub", "jupyterhub", "system",
    "platform", "reference", "you", "nobody", "anonymous",
)


class PseudonymError(ValueError):
    """A pseudonym that cannot be used; the message says why."""


def normalise(text: str) -> str:
    """NFKC, without invisible format characters, whitespace runs made one space."""
    text = unicodedata.normalize("NFKC", str(text))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def pseudonym_key(pseudonym: str) -> str:
    """The stored unique key: normalised and case-folded."""
    return normalise(pseudonym).casefold()


def skeleton(name: str) -> str:
    """What two names are compared by: the key without spaces and ``._-``."""
    return re.sub(r"[\s._-]+", "", pseudonym_key(name))


def generate_pseudonym(session: Session) -> str:
    """A fresh generated pseudonym not yet taken."""
    for _ in range(1000):
        candidate = f"{secrets.choice(ADJECTIVES)} {secrets.choice(PHYSICISTS)} {secrets.randbelow(100)}"
        if session.scalar(select(Student).where(Student.pseudonym_key == pseudonym_key(candidate))) is None:
            return candidate
    raise RuntimeError("no free generated pseudonym found")  # 40,000 names; cannot happen in a course


def ensure_student(session: Session, student: str, *, real_name: str | None = None, now=None) -> Student:
    """The student's row, created with a generated pseudonym on first contact."""
    if not student or not isinstance(student, str):
        raise ValueError("a student is identified by their non-empty hub user name")
    row = session.get(Student, student, with_for_update=True)
    if row is None:
        pseudonym = generate_pseudonym(session)
        row = Student(
            name=student, real_name=real_name, pseudonym=pseudonym, pseudonym_key=pseudonym_key(pseudonym),
            pseudonym_chosen=False, created_at=now,
        )
        session.add(row)
        session.flush()
    elif real_name and row.real_name != real_name:
        row.real_name = real_name
    return row


def check_pseudonym(session: Session, student: str, pseudonym: str, other_names: Iterable[str] = ()) -> str:
    """The normalised pseudonym, or `PseudonymError` saying what is wrong with it. ``other_names``
    are names nobody may take besides those the leaderboard knows (the hub's user names)."""
    pseudonym = normalise(pseudonym)
    if not PSEUDONYM_PATTERN.match(pseudonym):
        raise PseudonymError(
            "a pseudonym has 3 to 32 characters: letters, digits, spaces and . _ - "
            "(starting with a letter or digit)"
        )
    wanted = skeleton(pseudonym)
    if any(wanted == skeleton(name) for name in RESERVED) or wanted.startswith("reference"):
        raise PseudonymError(f"the pseudonym {pseudonym!r} is one of the platform's own names; please choose another one")
    names = {skeleton(name) for name in other_names if name}
    for name, real_name, chosen in session.execute(select(Student.name, Student.real_name, Student.pseudonym)):
        names.add(skeleton(name))
        if real_name:
            names.add(skeleton(real_name))
        if name != student:
            names.add(skeleton(chosen))
    if wanted in names:
        raise PseudonymError(f"the pseudonym {pseudonym!r} is taken (by a user name, a real name or another "
                             "student's pseudonym); please choose another one")
    return pseudonym


def set_pseudonym(store: Store, student: str, pseudonym: str, other_names: Iterable[str] = ()) -> str:
    """Let `student` appear as `pseudonym` from now on (all boards, past entries included);
    ``other_names``: the hub's user names at the time of choosing."""
    with store.session() as session:
        row = ensure_student(session, student, now=store.now())
        chosen = check_pseudonym(session, student, pseudonym, other_names)
        row.pseudonym, row.pseudonym_key, row.pseudonym_chosen = chosen, pseudonym_key(chosen), True
        return chosen


def register_student(store: Store, student: str, *, real_name: str | None = None, pseudonym: str | None = None) -> str:
    """Create or update a student (e.g. real names from the gradebook); returns the pseudonym."""
    with store.session() as session:
        row = ensure_student(session, student, real_name=real_name, now=store.now())
        current = row.pseudonym
    return set_pseudonym(store, student, pseudonym) if pseudonym else current


def pseudonym_of(store: Store, student: str) -> str | None:
    with store.session() as session:
        row = session.get(Student, student)
        return row.pseudonym if row else None
