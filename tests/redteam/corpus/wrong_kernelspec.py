# kind: build
# base: reference
# expect: 3
# message: PASS
# why: names a kernel that does not exist (and a different language); the course's own Python runs it anyway
nb.metadata["kernelspec"] = {"name": "evil-kernel", "display_name": "Totally Python", "language": "bash"}
nb.metadata["language_info"] = {"name": "bash"}
