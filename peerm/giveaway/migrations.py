"""The schema changes of the give-away shop. Its tables came after the first release: a database
without them gets them made from the models (`peerm.core.migrations.migrate`), so there is
nothing to change yet."""

MIGRATIONS = ()
