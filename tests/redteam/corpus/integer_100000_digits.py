# kind: build
# base: reference
# expect: 0
# message: redteam.ipynb is not readable: it holds a number with 100000 digits
# why: a displayed JSON output holding a 100000-digit integer (Python refuses to convert more than 4300 digits)
nb.cells[1].outputs = [nbformat.v4.new_output("display_data", data={"application/json": {"n": "__BIG__"}})]
text = nbformat.writes(nb).replace('"__BIG__"', "9" * 100000)
(folder / "redteam.ipynb").write_text(text)
nb = None
