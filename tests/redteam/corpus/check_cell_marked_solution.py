# kind: build
# base: reference
# expect: 3
# message: PASS
# why: marks the locked check cell as an unlocked answer cell and puts a wrong square in it; the check cell is restored
for cell in nb.cells:
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade_id") == "square":
        meta.update(solution=True, locked=False)
        cell.source = "def square(x):\n    return -1.0"
