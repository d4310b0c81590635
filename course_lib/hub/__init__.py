"""The course hub: JupyterHub services and plug-ins for the course platform.

- ``exchange_service``: the course exchange, a JupyterHub service that receives submissions,
  stamps them with the platform's receipt time, keeps them immutable and hands each student
  only their own.
- ``exchange_client``: nbgrader's pluggable exchange (``c.ExchangeFactory.*``) talking HTTP to it
  with the caller's hub token.
- ``spawner``, ``auth``: the local-mode spawner (one Unix account per hub user) and the
  NativeAuthenticator with the demo course's accounts.
- ``launcher``: ``course hub`` / ``make run``, the hub with the demo course.

Nothing here holds solutions or hidden tests; students may import it.
"""
