# kind: build
# base: reference
# expect: 3
# message: PASS
# why: adds student cells that claim the check cells' grade ids (unlocked, 100 points, printing a pass); each id counts once, locked
at = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "mean")
for grade_id in ("square", "mean"):
    forged = nbformat.v4.new_code_cell("print('[PASS] 100 / 100 points')")
    forged.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": 100, "locked": False,
                                   "solution": False, "schema_version": 3, "task": False}
    nb.cells.insert(at + 1, forged)
