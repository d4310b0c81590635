"""Show the formgrader in its own browser tab, never in an iframe.

Since JupyterHub 4.1 every server sends ``Content-Security-Policy: frame-ancestors 'none'``:
a page of one user (or service) on the hub's origin must not frame another's, or a student's
page could drive the instructor's. nbgrader's JupyterLab extension shows the formgrader in an
iframe, which therefore stays blank. We keep the policy and open the formgrader as a page of
its own instead: this server extension (enabled only in the course's formgrader service)
redirects the course list's link ``<service>/lab?formgrader=true`` (``/tree?...`` in Notebook 7)
to ``<service>/formgrader``, and the hub's home page links there directly.
"""

from __future__ import annotations

import re

from jupyter_server.utils import url_path_join
from tornado import web
from tornado.routing import Matcher, Rule


class _FormgraderLink(Matcher):
    def __init__(self, base_url: str):
        self.path = re.compile(re.escape(base_url.rstrip("/")) + r"/(lab|tree)/?$")

    def match(self, request):
        if self.path.match(request.path) and re.search(r"(^|&)formgrader=true(&|$)", request.query or ""):
            return {}
        return None


class _ToFormgrader(web.RequestHandler):
    def initialize(self, url: str):
        self.url = url

    def get(self):
        self.redirect(self.url)


def _jupyter_server_extension_points():
    return [{"module": "course_lib.hub.formgrader_tab"}]


def _load_jupyter_server_extension(serverapp):
    web_app = serverapp.web_app
    base_url = web_app.settings["base_url"]
    rule = Rule(_FormgraderLink(base_url), _ToFormgrader, {"url": url_path_join(base_url, "formgrader")})
    web_app.default_router.rules.insert(0, rule)  # ahead of JupyterLab's own /lab handler
    serverapp.log.info("formgrader opens in its own tab: %s", url_path_join(base_url, "formgrader"))


load_jupyter_server_extension = _load_jupyter_server_extension
