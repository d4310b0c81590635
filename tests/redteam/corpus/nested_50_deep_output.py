# kind: build
# base: reference
# expect: 3
# message: PASS
# why: a displayed JSON output nested 51 levels deep (57 in the file), within the limit: the notebook is read and graded as usual
deep = {"leaf": 1}
for _ in range(25):
    deep = {"inner": [deep]}
nb.cells[1].outputs = [nbformat.v4.new_output("display_data", data={"application/json": deep})]
