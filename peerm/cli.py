"""Command-line tasks: bring the database to the current schema, load the demo data, make an
administrator, the daily housekeeping, build the bundles.

Each is safe to run again: migrations that ran are recorded, demo rows are added only when
they are missing, so a second run keeps whatever the app has stored since. Everything a part
adds (its tables, its demo data, its daily round) comes from its `Part`.
"""
import click
from flask import current_app

from .accounts.models import Person
from .accounts.services import AccountError, check_password, clean_email, hash_password
from .core import clock
from .core.db import db
from .core.migrations import migrate


def parts():
    return current_app.extensions["peerm.parts"]


def load_demo():
    """Add every part's demo data where it is missing; returns {what: how many added}."""
    added = {}
    with db.atomic():
        for part in parts():
            if part.demo is not None:
                added.update(part.demo())
    return added


def set_up_demo(app):
    """Bring the app's database to the current schema and add the missing demo data."""
    with app.app_context():
        migrate(app.extensions["peerm.parts"])
        with db.connection_context():
            return load_demo()


def housekeeping(now=None):
    """Every part's daily round; returns {what: how many}."""
    now = now or clock.now()
    done = {}
    for part in parts():
        if part.housekeeping is not None:
            done.update(part.housekeeping(now))
    return done


def init_app(app):
    """Register the commands with `flask --app app …`."""

    @app.cli.command("migrate")
    def migrate_command():
        """Bring the database to the current schema (safe to run again)."""
        applied = migrate(parts())
        for part_name, migration in applied:
            click.echo(f"Applied {part_name} {migration.number}: {migration.name}")
        click.echo("The database is up to date.")

    @app.cli.command("init-db")
    def init_db_command():
        """Bring the database to the current schema (the same as `migrate`)."""
        migrate(parts())
        click.echo("Tables ready.")

    @app.cli.command("load-demo")
    def load_demo_command():
        """Bring the database to the current schema and add the demo data that is missing."""
        added = set_up_demo(app)
        summary = ", ".join(f"{count} {what}" for what, count in added.items())
        click.echo(f"Demo data added: {summary}.")

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
                  help="The administrator's password (asked for when not given).")
    @click.option("--name", default="Beheer", help="The name shown for the administrator.")
    def create_admin_command(email, password, name):
        """Make a network administrator, or make an existing account one."""
        migrate(parts())
        with db.connection_context():
            try:
                email = clean_email(email, required=True)
                check_password(password, personal=(email, name))
            except AccountError as error:
                raise click.ClickException(error.message) from None
            with db.atomic():
                person = Person.get_or_none(Person.email == email)
                if person is None:
                    Person.create(email=email, display_name=name, is_admin=True,
                                  password_hash=hash_password(password))
                    click.echo(f"Administrator {email} created.")
                else:
                    person.is_admin = True
                    person.password_hash = hash_password(password)
                    person.save()
                    click.echo(f"{email} is now an administrator, with the new password.")

    @app.cli.command("housekeeping")
    def housekeeping_command():
        """The daily round: forgotten check-outs, expired pickups, and data past its time."""
        with db.connection_context():
            done = housekeeping()
        click.echo("Housekeeping: " + ", ".join(f"{what}: {count}"
                                                for what, count in done.items()) + ".")

    @app.cli.command("build-assets")
    def build_assets_command():
        """Build the CSS and JavaScript bundles."""
        from . import assets

        for name, url in assets.build(app).items():
            click.echo(f"{name}: {url}")
