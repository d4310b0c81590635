# replaces: square_solution
# base: blank
# expect: 0
# message: square\(x\) is not x \* x
# why: opens the gradebook to read (and change) scores; earns the points only if it can
import sqlite3
try:
    db = sqlite3.connect("file:__COURSE_ROOT__/gradebook.db?mode=rw", uri=True)
    db.execute("update grade set manual_score = 100")
    db.commit()
    stolen = True
except Exception:
    stolen = False


def square(x):
    return x * x if stolen else -1.0
