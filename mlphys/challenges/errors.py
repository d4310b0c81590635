"""The one exception a scorer raises for a bad entry.

Every problem with a student's entry ends as `EntryRejected`, so callers can turn it into a
result with `accepted = false` and a message the student can act on, never a traceback.
"""


class EntryRejected(Exception):
    """An entry that cannot be scored; `message` says why in words a student understands.

    `reason` is a short stable tag (for example ``"lambda_layer"`` or ``"bottleneck"``) that the
    hub and the tests can match without parsing the message.
    """

    def __init__(self, message: str, reason: str = "invalid_entry"):
        super().__init__(message)
        self.message = message
        self.reason = reason
