"""The term's bookkeeping: assignment policies (opening, closing, duration, late rules, extensions),
the platform clock, late penalties on totals, exam admission and grade export.

Policies live in the course root's ``policies/`` folder (README, "Exams, deadlines and grades").
The exchange enforces them with the platform's receipt time; grades apply them to totals.

Modules:

- ``policy``: per-assignment policies and per-student extensions.
- ``clock``: the platform's clock (real, or controlled for tests and rehearsals).
- ``gate``: what the exchange lets through, by policy and clock.
- ``sync``: the ``policies/`` folder handed to the exchange.
- ``scores``: per-student scores from the gradebook with the late rules applied.
- ``admission``: exam admission from the exercise points.
- ``export``: grades as CSV for Moodle and Canvas.
- ``cli``: ``course extend``, ``deadlines``, ``admission``, ``export``.
"""
