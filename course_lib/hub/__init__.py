"""The course hub: JupyterHub services and plug-ins for the course platform.

Modules:

- ``exchange_service``: the course exchange, a JupyterHub service that receives submissions,
  stamps them with the platform's receipt time, keeps them immutable and hands each student
  only their own.
- ``exchange_client``: nbgrader's pluggable exchange (``c.ExchangeFactory.*``) talking HTTP to it
  with the caller's hub token.
- ``archive``: the gzip'd tar archives and timestamps the exchange and its clients send.
- ``spawner``: the local-mode spawner (one Unix account per hub user) and the per-role setup.
- ``auth``: the NativeAuthenticator with the demo course's accounts.
- ``hubconfig``: helpers of ``jupyterhub_config.py`` (environment settings, secrets, permissions).
- ``runtime``: a Python every account can run, for users' servers and services.
- ``launcher``: ``course hub`` / ``make run``, the hub with the demo course.
- ``worker``: the grading worker (collect, grade, release practice feedback).
- ``course_pages``: the "Course status" service (deadlines, exam time, admission).
- ``challenge_intake``: challenge submissions handed from the exchange to the leaderboard.
- ``formgrader_tab``: the formgrader in its own browser tab.
- ``csp``: the Content-Security-Policy headers of the platform's pages.
"""
