"""The package layout shows the architecture: every package's docstring lists each of its modules and what it is for."""

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = sorted(p.parent for top in ("course_lib", "mlphys") for p in (REPO / top).rglob("__init__.py"))
ITEM = re.compile(r"^- `{1,2}(\w+)`{1,2}:", re.MULTILINE)


def listed(package: Path) -> list[str]:
    return ITEM.findall(ast.get_docstring(ast.parse((package / "__init__.py").read_text())) or "")


def present(package: Path) -> set[str]:
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    return modules | {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_package_docstring_lists_exactly_its_modules(package):
    names = listed(package)
    assert sorted(set(names)) == sorted(names), f"listed twice: {sorted({n for n in names if names.count(n) > 1})}"
    assert set(names) == present(package), (
        f"{package.relative_to(REPO)}/__init__.py: not listed {sorted(present(package) - set(names))}, "
        f"listed but absent {sorted(set(names) - present(package))}")


def test_the_sandbox_side_package_imports_nothing_trusted():
    """mlphys is all a sandbox sees: an import of course_lib from it would fail there."""
    offenders = []
    for path in (REPO / "mlphys").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            offenders += [f"{path.relative_to(REPO)}: {n}" for n in names if n.split(".")[0] in ("course_lib", "grader_tests")]
    assert offenders == []
