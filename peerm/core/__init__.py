"""The core below every part: the database (proxy, transactions, migrations), the one clock,
domain errors with stable codes, the checks of what people type, and two-language text.

The core imports no part and no request: parts build on it, never the other way round.
"""
