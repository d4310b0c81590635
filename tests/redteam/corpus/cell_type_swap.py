# kind: build
# base: reference
# expect: 3
# message: PASS
# why: turns the code answer of square into markdown and the written answer into code; each is graded as its released type
for cell in nb.cells:
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    if grade_id == "square_solution":
        cell.cell_type = "markdown"
        del cell["outputs"], cell["execution_count"]
    elif grade_id == "explain":
        cell.cell_type = "code"
        cell.outputs, cell.execution_count = [], None
