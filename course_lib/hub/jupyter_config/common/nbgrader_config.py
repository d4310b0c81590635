"""nbgrader inside the hub (every role): the course exchange service, and courses from hub groups.

The hub puts this folder on JUPYTER_CONFIG_PATH of every server and service it starts;
COURSE_ID and COURSE_EXCHANGE_URL come from the hub too.
"""

import os

from nbgrader.auth import JupyterHubAuthPlugin

from course_lib import safe_html
from course_lib.hub.exchange_client import configure_exchange

c = get_config()  # noqa: F821
if os.environ.get("COURSE_ID"):
    c.CourseDirectory.course_id = os.environ["COURSE_ID"]
# Courses come from the hub's groups: nbgrader-<course> (students), formgrade-<course> (instructors).
c.Authenticator.plugin_class = JupyterHubAuthPlugin
configure_exchange(c)
# The formgrader's submission view and feedback render student markup inert (course_lib/safe_html.py),
# also for a course whose own nbgrader_config.py does not say so.
safe_html.configure(c)
