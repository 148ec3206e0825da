"""The schema changes of decisions since its tables were first made (none yet)."""

MIGRATIONS = ()
