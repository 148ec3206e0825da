"""A person's own data, as plain JSON values ("Download my data").

The export holds what is about the person, and nothing about anybody else. A coordinator's
name is on many rows of other people — shifts she approved, tools she lent, invites she made
— and those rows are not hers to download. So every table that points to a person says here,
what each of its references means:

- `about`: the row is the person's own (their membership, their sign-up, their shift, their
  loan as the borrower): it is exported, without secrets and without the fields in `drop`,
  which would name someone else (who approved it, who lent it);
- `through`: the row is the person's own by way of another row of theirs ("shift.person":
  the changes made to their own shifts);
- `acted`: the person only did something to someone else's row (approved a shift, lent a
  tool, made an invite): the export says how many such rows there are, never what is in them.

Each part says this of its own tables (`Part.exported`). A test fails on any reference to a
person that is not classified, so that a new table decides what it means for the export
before it ships.
"""
from flask import current_app
from playhouse.shortcuts import model_to_dict

from .models import LoginFailure, Person

# Fields never handed out, not even to their owner: secrets and their hashes.
SECRET_FIELDS = {"password_hash", "pin_hash", "token_hash", "body_hash"}


def export_data(person):
    """Everything Peer'M keeps about a person: their row, their own rows of every table (as
    the parts say), and how many rows of others they acted on, table by table."""
    parts = current_app.extensions["peerm.parts"]
    exported = {table: rule for part in parts for table, rule in part.exported.items()}
    export = {"person": _plain(person, ())}
    export["person"]["has_pin"] = bool(person.pin_hash)
    acted = {}
    for model in (model for part in parts for model in part.models):
        rule = exported.get(model._meta.table_name)
        if rule is None:
            continue
        rows = _own_rows(model, rule, person)
        if rows is not None:
            export[model._meta.table_name] = [_plain(row, rule.drop) for row in rows]
        for name in rule.acted:
            field = model._meta.fields[name]
            acted[f"{model._meta.table_name}.{name}"] = (
                model.select().where(field == person).count())
    export["acted_for_others"] = acted
    if person.email:
        export["login_failures"] = [
            {"at": f.at.isoformat()}
            for f in LoginFailure.select().where(LoginFailure.key == f"account:{person.email}")]
    return export


def _own_rows(model, rule, person):
    """The person's own rows of a table, or None when no row of it can be theirs."""
    if not rule.about and not rule.through:
        return None
    query = model.select(model)
    condition = None
    for name in rule.about:
        condition = _either(condition, model._meta.fields[name] == person)
    for path in rule.through:
        name, owner = path.split(".")
        field = model._meta.fields[name]
        parent = field.rel_model
        query = query.join(parent, on=(field == parent._meta.primary_key))
        condition = _either(condition, parent._meta.fields[owner] == person)
    return query.where(condition).order_by(model._meta.primary_key)


def _either(condition, more):
    return more if condition is None else (condition | more)


def _plain(row, drop):
    data = model_to_dict(row, recurse=False)
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value)
            for key, value in data.items() if key not in SECRET_FIELDS and key not in drop}


def references_to_people(model):
    """The names of a model's fields that point to a person."""
    return {name for name, field in model._meta.fields.items()
            if getattr(field, "rel_model", None) is Person}
