# kind: build
# base: reference
# expect: 0
# message: redteam.ipynb is not valid JSON
# why: the notebook file is cut off in the middle
text = nbformat.writes(nb)
(folder / "redteam.ipynb").write_text(text[: len(text) // 2])
nb = None
