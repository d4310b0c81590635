# kind: build
# base: reference
# expect: 3
# message: PASS
# why: deletes the locked check cells; nbgrader puts them back and the work counts
nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade_id") in ("square", "mean")]
