"""The sandbox side of the course: the only course code a sandbox can see.

Every sandbox (a student's kernel while it is graded, a challenge entry while it is scored)
mounts this package read-only and nothing else of the course. Nothing here is trusted, holds a
secret or decides a grade: a student's code can replace any of it inside its own kernel. The
trusted side, ``course_lib`` (graders' helpers, gradebook, hub, leaderboard), is not visible
in a sandbox, so importing it there fails.

Modules:

- ``callee``: the kernel end of a hidden grader's call (runs inside the student's kernel).
- ``channel``: the wire format of a grader's call and its answer (plain data, bounded decoding).
- ``zygote``: imports a kernel's libraries once per grading worker and forks each submission's kernel into
  namespaces of its own (started as root inside the jail by ``course_lib.sandbox.zygote``).
- ``maze``: the maze environment of lectures 8 and 9, which student notebooks import.
- ``challenges``: the challenge scorers that run inside a scoring sandbox.
"""

__version__ = "0.1.0"
