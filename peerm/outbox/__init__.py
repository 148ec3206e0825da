"""The outbox: how what people do without signal reaches the server exactly once.

`protocol` is the protocol itself, plain Python over the core: the shape of an action, the
hash that makes two sends the same action, the clock checks, and `apply`, which applies an
action exactly once over the table of handlers the parts give (`Part.actions`), with its
idempotency record (`models.SyncRecord`) in the same transaction. `views` and `forms` are
thin web layers over it: `POST /sync`, the form-to-action bridge and the outbox page.
"""
