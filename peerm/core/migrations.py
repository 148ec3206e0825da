"""Numbered schema migrations, per part, recorded in the `schema_version` table.

People keep data in Peer'M, so the schema changes only through migrations. Each part lists
its own (`Migration(number, name, apply)`), numbered from 1; `migrate(parts)` brings any
database to the current schema and is safe to run again:

- an empty database gets every part's tables as the models describe them, and every
  migration is recorded as applied (the models are already their result);
- any other database (the first release had no `schema_version` table) first gets the
  tables that are missing — a new part, or a new table of a part — and then, part by part
  in the parts' order, the migrations it has not had, each in its own transaction with its
  record.

A migration works through `Schema`, whose steps may be run on a database that already has
their result (a table made from today's model already has a column that an older migration
adds), so that both ways end at the same schema. On SQLite the foreign keys are off while
migrations run — rebuilding a table must not cascade into the rows that point to it — and
checked afterwards.
"""
import datetime as dt
from dataclasses import dataclass
from typing import Callable

from peewee import CharField, CompositeKey, DateTimeField, IntegerField, SqliteDatabase
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

from . import clock
from .db import BaseModel, db


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    apply: Callable[["Schema"], None]


class SchemaVersion(BaseModel):
    """One migration applied to this database."""
    part = CharField(max_length=40)
    number = IntegerField()
    name = CharField(max_length=200)
    applied_at = DateTimeField(default=clock.now)

    class Meta:
        table_name = "schema_version"
        primary_key = CompositeKey("part", "number")


class MigrationError(Exception):
    """The database is not in a state a migration can work from."""


class Schema:
    """The steps a migration takes; each one skips what is already done."""

    def __init__(self, database):
        self.db = database
        self.migrator = (SqliteMigrator(database) if isinstance(database, SqliteDatabase)
                         else PostgresqlMigrator(database))

    def tables(self):
        return set(self.db.get_tables())

    def columns(self, table):
        return {column.name for column in self.db.get_columns(table)}

    def create_table(self, model):
        model.create_table(safe=True)

    def drop_table(self, table):
        if table in self.tables():
            self.db.execute_sql(f'DROP TABLE "{table}"')

    def add_column(self, model, field_name):
        """Add a model's field to its table (with its default for the rows already there)."""
        table = model._meta.table_name
        field = model._meta.fields[field_name]
        if field.column_name not in self.columns(table):
            self.migrator.add_column(table, field.column_name, field).run()

    def drop_column(self, table, column):
        """Drop a column with its indexes (and, on SQLite, its foreign key: the table is then
        made anew, which is why the foreign keys are off while migrations run)."""
        if table not in self.tables() or column not in self.columns(table):
            return
        for index in self.db.get_indexes(table):
            if column in index.columns:
                self.db.execute_sql(f'DROP INDEX "{index.name}"')
        if isinstance(self.db, SqliteDatabase):
            linked = any(key.column == column for key in self.db.get_foreign_keys(table))
            self.migrator.drop_column(table, column, legacy=linked).run()
        else:
            self.migrator.drop_column(table, column, cascade=False).run()

    def add_index(self, model, fields, unique=False):
        table = model._meta.table_name
        name = "_".join([table] + list(fields))
        if name not in {index.name for index in self.db.get_indexes(table)}:
            self.migrator.add_index(table, list(fields), unique).run()

    def to_utc(self, table, columns):
        """Turn Dutch wall-clock times kept in these columns into UTC moments."""
        if table not in self.tables():
            return
        for column in columns:
            rows = self.db.execute_sql(
                f'SELECT "id", "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL').fetchall()
            for row_id, value in rows:
                wall = value if isinstance(value, dt.datetime) else _parse_datetime(value)
                self.db.execute_sql(f'UPDATE "{table}" SET "{column}" = %s WHERE "id" = %s'
                                    .replace("%s", self.db.param),
                                    (clock.from_local(wall).isoformat(sep=" "), row_id))

    def run(self, sql, params=()):
        return self.db.execute_sql(sql, params)


def _parse_datetime(text):
    """A time as SQLite keeps it ("2026-11-29 10:15:00", maybe with fractions of seconds)."""
    return dt.datetime.fromisoformat(str(text))


def all_models(parts):
    """Every table of the app, in the parts' order (referenced tables first)."""
    return [SchemaVersion] + [model for part in parts for model in part.models]


def pending(parts):
    """The migrations this database has not had, in the order they would run."""
    applied = {(row.part, row.number) for row in SchemaVersion.select()}
    return [(part.name, migration) for part in parts
            for migration in sorted(part.migrations, key=lambda m: m.number)
            if (part.name, migration.number) not in applied]


def migrate(parts):
    """Bring the database to the current schema; returns the migrations applied."""
    _check_numbers(parts)
    with db.connection_context():
        existing = set(db.get_tables()) - {SchemaVersion._meta.table_name}
        if not existing:
            with db.atomic():
                db.create_tables(all_models(parts))
                for part_name, migration in _every(parts):
                    SchemaVersion.create(part=part_name, number=migration.number,
                                         name=migration.name)
            return []
        SchemaVersion.create_table(safe=True)
        db.create_tables(all_models(parts), safe=True)
        todo = pending(parts)
        if todo:
            _run(todo)
        return todo


def _run(todo):
    sqlite = isinstance(db.obj, SqliteDatabase)
    if sqlite:
        db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        schema = Schema(db.obj)
        for part_name, migration in todo:
            with db.atomic():
                migration.apply(schema)
                SchemaVersion.create(part=part_name, number=migration.number,
                                     name=migration.name)
        if sqlite:
            broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise MigrationError(f"rows point to rows that are gone: {broken[:5]}")
    finally:
        if sqlite:
            db.execute_sql("PRAGMA foreign_keys = ON")


def _every(parts):
    return [(part.name, migration) for part in parts for migration in part.migrations]


def _check_numbers(parts):
    for part in parts:
        numbers = [migration.number for migration in part.migrations]
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            raise MigrationError(f"the migrations of {part.name} are not numbered 1, 2, 3…")
