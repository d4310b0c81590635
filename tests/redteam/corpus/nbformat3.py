# kind: build
# base: reference
# expect: 3
# message: PASS
# why: an old notebook format (nbformat 3, worksheets); it is upgraded and graded like any other
v3 = nbformat.v4.downgrade(nb)
(folder / "redteam.ipynb").write_text(nbformat.writes(v3, version=3))
nb = None
