# kind: build
# base: blank
# expect: 0
# message: square
# why: rewrites the locked check cells (code that defines the answers, 100 points) and unlocks them
for cell in nb.cells:
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade") and cell.cell_type == "code":
        cell.source = "print('Platform grader: 2 / 2 points')\nsquare = lambda x: -1"
        meta["points"] = 100
        meta["locked"] = False
