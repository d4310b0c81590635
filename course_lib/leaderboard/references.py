"""Reference rows: entries the platform itself submits, shown on every board they qualify for.

The entry files ship with the repository in ``course_lib/challenges/reference_entries/``:

===================================  ==========================================================
random_maze_policy/                  a uniformly random maze policy (probability 1/5 per action)
baseline_maze_policy/                the course's baseline network, trained by
                                     ``course_lib/challenges/train_baseline_policy.py``
course_example_autoencoder/          the course's example network, batch size 30, NORMAL
course_example_autoencoder_long/     the same network and batch size under the LONG budget
===================================  ==========================================================

The example autoencoder's bottleneck is 9, so it stands on the MEDIUM boards; no reference
qualifies for HARD. `register_reference_entries` queues them like student entries (public seed
now, final seed with the final scoring); they count toward no cap and are never ranked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from course_lib.leaderboard.schema import PUBLIC, Entry
from course_lib.leaderboard.store import Store
from course_lib.leaderboard.submissions import check_entry_files, copy_entry_files, queue_run, remove_entry_copy

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "challenges" / "reference_entries"


@dataclass(frozen=True)
class ReferenceEntry:
    challenge: str
    label: str
    folder: str


REFERENCES = (
    ReferenceEntry("maze", "random policy", "random_maze_policy"),
    ReferenceEntry("maze", "course baseline policy", "baseline_maze_policy"),
    ReferenceEntry("autoencoder", "course example autoencoder", "course_example_autoencoder"),
    ReferenceEntry("autoencoder", "course example autoencoder (LONG)", "course_example_autoencoder_long"),
)


def register_reference_entries(
    store: Store, references=REFERENCES, directory: Path = REFERENCE_DIR
) -> dict[str, int]:
    """Add the reference entries not yet registered and queue their public runs.

    Idempotent: a label already present is left alone. Returns {label: entry id} of all of them;
    with the course's reference rows off (``COURSE_LEADERBOARD_REFERENCE_ROWS=0``) nothing is added
    and nothing is returned (rows registered before stay).
    """
    ids = {}
    if not store.config.reference_rows:
        return ids
    for reference in references:
        with store.session() as session:
            existing = session.scalar(
                select(Entry).where(Entry.challenge == reference.challenge, Entry.reference_label == reference.label)
            )
            if existing is not None:
                ids[reference.label] = existing.id
                continue
            files, training = check_entry_files(reference.challenge, Path(directory) / reference.folder)
            relative = Path("references") / reference.folder
            target = store.entries_dir / relative
            remove_entry_copy(target)  # left over by an interrupted registration
            checksum = copy_entry_files(files, target)
            entry = Entry(
                student_name=None, reference_label=reference.label, challenge=reference.challenge,
                training=training, received_at=store.now(), checksum=checksum, files_dir=relative.as_posix(),
                counts_toward_cap=False,
            )
            session.add(entry)
            session.flush()
            queue_run(session, store, entry, PUBLIC)
            ids[reference.label] = entry.id
    return ids
