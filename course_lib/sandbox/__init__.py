"""The untrusted side of grading: each submission's kernel runs in a sandbox of its own (see ``bwrap``)."""

from .bwrap import Sandbox, SandboxUnavailable, sandbox_check
from .limits import Limits, LimitsError, load_limits

__all__ = ["Limits", "LimitsError", "Sandbox", "SandboxUnavailable", "load_limits", "sandbox_check"]
