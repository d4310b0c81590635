"""Every HTML export of a notebook renders student markup inert (course_lib/safe_html.py), and keeps
the markup a notebook needs: headings, tables, quotes, maths, plots."""

import re

import nbformat
import pytest
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from traitlets.config import Config

from course_lib import safe_html

RUN = "window.pwned=1"
PAYLOADS = [
    f'<img src=x onerror="{RUN}">', f"<script>{RUN}</script>", f"[link](javascript:{RUN})",
    f"[entity link](&#106;avascript:{RUN})", f'<a href="JaVaScRiPt:{RUN}">x</a>', f'<svg onload="{RUN}"></svg>',
    f'<iframe src="javascript:{RUN}"></iframe>', f'<object data="javascript:{RUN}"></object>',
    f'<div style="background:url(javascript:{RUN})" onmouseover="{RUN}">hover</div>',
    f'<form action="javascript:{RUN}"><button>go</button></form>', f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
]


def export(cells) -> str:
    config = Config()
    safe_html.configure(config)
    body, _ = HTMLExporter(config=config, template_name="lab").from_notebook_node(new_notebook(cells=cells))
    return body


def student_part(body: str) -> str:
    """The rendered cells, without the template's own styles and scripts."""
    return body[body.index('<main>'):] if '<main>' in body else body


def live_markup(body: str) -> list[str]:
    """Elements of the rendered cells that could run script: active tags, event handlers, script links."""
    from bs4 import BeautifulSoup

    found = []
    for cell in BeautifulSoup(body, "html.parser").select(".jp-Cell"):
        for tag in cell.find_all(True):
            if tag.name in ("script", "iframe", "object", "embed", "svg", "form", "meta", "base", "style"):
                found.append(tag.name)
            for name, value in tag.attrs.items():
                value = " ".join(value) if isinstance(value, list) else value
                if name.startswith("on") or re.match(r"\s*(javascript|vbscript|data:text)", value, re.I):
                    found.append(f"{tag.name} {name}={value}")
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_is_inert_in_markdown_and_in_outputs(payload):
    body = export([
        new_markdown_cell(f"answer MARK-MD {payload}"),
        new_code_cell("x", outputs=[
            new_output("display_data", data={"text/html": f"MARK-HTML {payload}", "text/plain": "x"}),
            new_output("display_data", data={"text/markdown": f"MARK-MDOUT {payload}", "text/plain": "x"}),
            new_output("display_data", data={"application/javascript": RUN, "text/plain": "x"}),
            new_output("display_data", data={"image/svg+xml": f'<svg onload="{RUN}"/>', "text/plain": "x"}),
        ]),
    ])
    assert "MARK-MD" in body and "MARK-HTML" in body and "MARK-MDOUT" in body
    assert not live_markup(body), live_markup(body)


def test_the_structure_a_notebook_needs_survives():
    table = "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
    body = student_part(export([
        new_markdown_cell("# Task 1\n\n> a quote with $a < b$\n\n* item\n\n[docs](https://example.org)"),
        new_code_cell("df", outputs=[new_output("execute_result", data={"text/html": table, "text/plain": "df"},
                                                execution_count=1),
                                     new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "fig"})]),
    ]))
    assert re.search(r"<h1[^>]*>Task 1", body) and "<blockquote>" in body and "$a &lt; b$" in body
    assert "<th>a</th>" in body and "<li>item</li>" in body and 'href="https://example.org"' in body
    assert 'src="data:image/png;base64,iVBORw0KGgo=' in body
