# replaces: square_solution
# base: blank
# expect: 0
# message: \[FAIL\] square
# why: runs another student's solution, found through the course tree or relative paths
import glob, json
code = ""
for pattern in ("__COURSE_ROOT__/submitted/bystander-*/redteam/*.ipynb", "__COURSE_ROOT__/autograded/bystander-*/redteam/*.ipynb",
                "../../bystander-*/redteam/*.ipynb", "/tmp/**/bystander-*/**/*.ipynb"):
    for path in glob.glob(pattern, recursive=True):
        try:
            cells = json.load(open(path))["cells"]
            code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        except Exception:
            pass
if code:
    exec(code)
