# kind: build
# base: blank
# expect: 0
# message: square
# why: renames the check cells' grade ids and adds a made-up grade cell worth 50 points
for cell in nb.cells:
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade") and cell.cell_type == "code":
        meta["grade_id"] = "renamed_" + meta["grade_id"]
    cell["id"] = "same-id"
bonus = nbformat.v4.new_code_cell("1")
bonus.metadata["nbgrader"] = {"grade": True, "grade_id": "bonus", "points": 50, "locked": False, "solution": False,
                              "schema_version": 3, "task": False}
nb.cells.append(bonus)
