# kind: build
# base: reference
# expect: 3
# message: PASS
# why: marks the answer cell (the solution's grade id) as a grade cell worth 50 points; its metadata comes from the release again
for cell in nb.cells:
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade_id") == "square_solution":
        meta.update(grade=True, points=50, locked=False)
