"""Domain errors: something a person asked that cannot be done.

Each carries a `message` for the person (in their language) and a stable `code` that the
code and the tests go by, never the words. Services raise them; the outbox turns them into
`rejected` results, the views into a 400 with the message where the result goes.
"""


class DomainError(Exception):
    """Something a person asked that cannot be done; `message` is for them, `code` is stable."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code
        # Rows to keep although the request failed (a wrong PIN is counted even so):
        # (model, fields) pairs, written after the failed work is rolled back.
        self.facts = []

    def keep_facts(self):
        for model, fields in self.facts:
            model.create(**fields)
