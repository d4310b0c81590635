# kind: build
# base: reference
# expect: 3
# message: PASS
# why: gives the check cells points that are not numbers (a string, a list, null); the release's points count
bogus = iter(["lots", [1e9], None])
for cell in nb.cells:
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade"):
        meta["points"] = next(bogus)
