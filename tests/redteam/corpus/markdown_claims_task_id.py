# kind: build
# base: reference
# expect: 3
# message: PASS
# why: the written (markdown) answer claims the check cell's grade id `square` with 100 points; its type and metadata come from the release
for cell in nb.cells:
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade_id") == "explain":
        meta.update(grade_id="square", points=100, locked=False)
