# kind: build
# base: reference
# expect: 0
# message: redteam.ipynb is a symbolic link
# why: the submitted notebook is a symlink to another student's submission
os.symlink("__COURSE_ROOT__/submitted/bystander-a/redteam/redteam.ipynb", folder / "redteam.ipynb")
nb = None
