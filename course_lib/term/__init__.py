"""The term's bookkeeping: assignment policies (opening, closing, duration, late rules, extensions),
the platform clock, late penalties on totals, exam admission and grade export.

Policies live in the course root's ``policies/`` folder (README, "Exams, deadlines and grades").
The exchange enforces them with the platform's receipt time; grades apply them to totals.
"""
