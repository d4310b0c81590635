# kind: build
# base: reference
# expect: 0
# message: redteam.ipynb is nested more than 64 levels deep
# why: a cell's metadata nested 5000 lists deep (deeper than the recursion limit of every JSON tool on the way)
nb.cells[2].metadata["deep"] = "__DEEP__"
text = nbformat.writes(nb).replace('"__DEEP__"', "[" * 5000 + "]" * 5000)
(folder / "redteam.ipynb").write_text(text)
nb = None
