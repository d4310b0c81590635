"""The Content-Security-Policy headers of the platform's pages.

Pages the platform renders itself (leaderboard, course status) allow no script but the inline
ones they name by hash, no foreign resource, no framing: a student string that slipped past
escaping could still not run. nbgrader's formgrader cannot be served that strictly (its pages
are built from inline scripts and underscore templates, which need ``'unsafe-inline'`` and
``'unsafe-eval'``); it gets `FORMGRADER`, which still forbids scripts, styles, fonts and
connections from any other origin, plugins and framing. There, the sanitised export of each
submission (course_lib/safe_html.py) is what keeps student markup inert.
"""

from __future__ import annotations

import base64
import hashlib

PAGE = ("default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'")
# Kept in course_lib/hub/jupyter_config/formgrader/jupyter_server_config.json (tests compare the two).
FORMGRADER = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
              "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def page_policy(*inline_scripts: str) -> str:
    """`PAGE`, allowing exactly these inline scripts (their text between ``<script>`` and ``</script>``)."""
    if not inline_scripts:
        return PAGE + "; script-src 'none'"
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline_scripts)
    return f"{PAGE}; script-src {hashes}"
