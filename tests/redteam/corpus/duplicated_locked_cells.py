# kind: build
# base: reference
# expect: 3
# message: PASS
# why: duplicates every check cell hoping to be scored twice; the maximum stays 3 and each task counts once
checks = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
nb.cells += [nbformat.from_dict(json.loads(json.dumps(c))) for c in checks] * 3
