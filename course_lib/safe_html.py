"""Student markup rendered inert in every HTML export of a student's notebook.

nbgrader renders submissions (formgrader) and feedback with its own nbconvert templates, and
those render markdown cells without any cleaning; nbconvert's ``sanitize_html`` switch cleans
outputs only, with a fixed short list of tags that shows headings, paragraphs and tables as raw
tags. So the course configures (nbgrader_config.py, the hub's common config):

* `SanitizeOutputs`, nbconvert's own ``SanitizeHTML`` preprocessor with the `TAGS` and
  `ATTRIBUTES` below: HTML and markdown outputs are cleaned with bleach, JavaScript, SVG and any
  other active output types are dropped, raw cells are cleaned;
* `markdown2html`, the HTML exporter's markdown filter followed by the same cleaning, for
  markdown cells (a student's answer cells and anything the notebook's markdown holds).

What survives is plain structure: no scripts, no event handlers, no ``javascript:`` or other
non-web links, no forms, frames, objects or SVG.
"""

from __future__ import annotations

import bleach
from jinja2 import pass_context
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.preprocessors.sanitize import SanitizeHTML
from traitlets import Any, List, Unicode

TAGS = [
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q",
    "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul", "var",
]
ATTRIBUTES = {
    "*": ["class", "id", "title", "align"],
    "a": ["href", "title", "class", "id"],
    "img": ["src", "alt", "width", "height", "class", "id"],
    "td": ["colspan", "rowspan", "class", "align"],
    "th": ["colspan", "rowspan", "class", "align", "scope"],
    "ol": ["start", "class"],
}
PROTOCOLS = ["http", "https", "mailto"]  # links and image sources; everything else (javascript:, data:) goes


def clean(markup: str) -> str:
    """``markup`` with every tag, attribute and link scheme not listed above escaped or removed."""
    return bleach.clean(markup, tags=TAGS, attributes=ATTRIBUTES, protocols=PROTOCOLS, strip_comments=True)


class SanitizeOutputs(SanitizeHTML):
    """nbconvert's sanitizer with the course's tag list; markdown cells are cleaned after rendering."""

    tags = List(Unicode(), default_value=TAGS).tag(config=True)
    attributes = Any(default_value=ATTRIBUTES).tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "markdown":
            return cell, resources  # its source stays markdown; `markdown2html` cleans the HTML it becomes
        return super().preprocess_cell(cell, resources, cell_index)

    def sanitize_html_tags(self, html_str):
        return clean(html_str)


@pass_context
def markdown2html(context, source: str) -> str:
    """The exporter's markdown rendering (maths kept for MathJax), then cleaned."""
    cell = context.get("cell", {}) or {}
    renderer = IPythonRenderer(escape=False, attachments=cell.get("attachments", {}))
    return clean(MarkdownWithMath(renderer=renderer).render(source))


def configure(c) -> None:
    """Apply to an nbgrader/Jupyter config object ``c`` (every HTML export of a notebook)."""
    c.HTMLExporter.preprocessors = ["course_lib.safe_html.SanitizeOutputs"]
    c.HTMLExporter.filters = {"markdown2html": "course_lib.safe_html.markdown2html"}
