"""Trusted code that builds the sandbox every untrusted process runs in: student kernels and challenge entries.

One sandbox implementation and one ``Limits`` type serve notebooks and challenge scoring alike.
Inside a sandbox only the venv and the sandbox-side package ``mlphys`` are visible.

Modules:

- ``bwrap``: a bubblewrap sandbox (own user, no network, read-only system, private work copy, watchdog).
- ``limits``: ``Limits``, the one resource-limit type, with per-assignment overrides.
- ``kernel``: a Jupyter kernel manager whose kernel runs inside a ``Sandbox``.
- ``zygote``: kernels forked from a per-worker process that imported their libraries once (root only).
- ``messages``: the kernel's messages decoded with bounds on size and nesting.
- ``files``: copying files out of and into a sandbox without following anything planted.
"""

from .bwrap import Sandbox, SandboxUnavailable, sandbox_check
from .limits import Limits, LimitsError, load_limits

__all__ = ["Limits", "LimitsError", "Sandbox", "SandboxUnavailable", "load_limits", "sandbox_check"]
