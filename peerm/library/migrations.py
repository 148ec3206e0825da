"""The schema changes of the library. Its tables came with it (the migrations make a new
part's tables); changes to them are numbered here from 1."""

MIGRATIONS = ()
