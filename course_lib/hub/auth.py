"""NativeAuthenticator with the demo course's accounts.

Students sign up at /hub/signup and an instructor approves them at /hub/authorize (instructors
are hub admins). The demo course's accounts are read from a JSON file that ``course hub``
writes with generated passwords: they are created, approved, and kept in step with the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import bcrypt
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.handlers import LoginHandler as NativeLoginHandler
from nativeauthenticator.orm import UserInfo
from tornado.escape import url_escape
from tornado.httputil import url_concat
from traitlets import Unicode


class CourseLoginHandler(NativeLoginHandler):
    """NativeAuthenticator 1.3's login page, fitted to JupyterHub 6 (which has no statsd and renders
    login errors synchronously)."""

    def _render(self, login_error=None, username=None, **kwargs):
        return self.render_template(
            "native-login.html",
            sync=kwargs.get("sync", False),
            next=url_escape(self.get_argument("next", default="")),
            username=username,
            login_error=login_error,
            custom_html=self.authenticator.custom_html,
            login_url=self.settings["login_url"],
            enable_signup=self.authenticator.enable_signup,
            two_factor_auth=self.authenticator.allow_2fa,
            authenticator_login_url=url_concat(self.authenticator.login_url(self.hub.base_url),
                                               {"next": self.get_argument("next", "")}),
            xsrf=self.xsrf_token.decode("ascii"),
        )

    async def post(self):
        data = {arg: self.get_argument(arg, strip=False) for arg in self.request.arguments}
        user = await self.login_user(data)
        if user:
            self._jupyterhub_user = user
            self.redirect(self.get_next_url(user))
            return
        error = "Invalid username or password."
        username = data.get("username", "")
        info = self.authenticator.get_user(username)
        if info is not None and info.is_valid_password(data.get("password", "")) and not info.is_authorized:
            error = f"User {username} has not been approved by an instructor yet."
        self.finish(await self._render(login_error=error, username=username))


class CourseAuthenticator(NativeAuthenticator):
    demo_accounts_file = Unicode("", help="JSON {username: password} of demo accounts to create and approve").tag(config=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.demo_accounts_file and Path(self.demo_accounts_file).is_file():
            self.load_demo_accounts(json.loads(Path(self.demo_accounts_file).read_text()))

    def get_handlers(self, app):
        return [(path, CourseLoginHandler if path == r"/login" else handler) for path, handler in super().get_handlers(app)]

    def load_demo_accounts(self, accounts: dict[str, str]) -> None:
        for name, password in accounts.items():
            name = self.normalize_username(name)
            info = UserInfo.find(self.db, name)
            hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
            if info is None:
                self.db.add(UserInfo(username=name, password=hashed, is_authorized=True))
                self.log.info("demo account %s created", name)
            else:
                if not info.is_valid_password(password):
                    info.password = hashed
                info.is_authorized = True
        self.db.commit()
