"""The trusted side of the course platform for "Machine Learning for Physicists".

Nothing in this package is visible inside a sandbox: the student kernels and challenge
entries see only ``mlphys``, the sandbox-side package. Students may read this code (it holds
no homework solution and no hidden grader expectation), but only the trusted processes (the
grading worker, the hub's services, the instructor's ``course`` command) import it.

Packages:

- ``grading``: ``course grade``, ``course grades``, ``check-graders``: a submission from
  staging to verdicts and the gradebook.
- ``sandbox``: builds and runs the sandbox every untrusted process runs in (one ``Limits``).
- ``hub``: JupyterHub services and plug-ins (exchange, course pages, spawner, grading worker).
- ``leaderboard``: challenge entries, the scoring queue and the boards.
- ``challenges``: instructor tools of the challenges (``course challenge score``, reference entries).
- ``term``: policies, deadlines, the platform clock, exam admission and grade export.

Modules:

- ``cli``: the ``course`` command (each package registers its own verbs).
- ``course_dir``: finding the course root and its nbgrader configuration.
- ``accounts``: real Unix accounts for students.
- ``authoring``: submissions built from an assignment's source (reference, blank, wrong variants).
- ``data``: data generators for the lecture 1 and 2 homework graders.
- ``nn``: lecture 1 and 2 reference code (a batched NumPy network).
- ``safe_html``: student markup rendered inert in every HTML export.
- ``demo``: ``course demo``, the pipeline on a throw-away demo course.
"""

from mlphys import __version__  # one version for both sides

__all__ = ["__version__"]
