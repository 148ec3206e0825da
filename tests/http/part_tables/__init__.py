"""What the route walk and the permission matrix know of each part, one module per part named
after it (`peerm.parts.PART_NAMES`). A part's module may give:

- `ROUTE_ARGUMENTS`: GET endpoint → `fn(world)` giving its URL arguments, from the walk's
  world (see `walk_world`);
- `LOGGED_IN_ONLY`: GET endpoints only a logged-in person may open;
- `NOT_HTML`: GET endpoint → the content type it answers instead of a page;
- `FRAGMENTS`: HTML endpoints that only ever answer a fragment;
- `NOT_FILLED`: GET endpoint → the status it answers when the walk cannot give a real value;
- `walk_world(admin, client, form_token)`: values for the walk's URLs, made in the database;
- `MATRIX`: every changing endpoint → (who may use it, the form it is sent), see
  `tests/http/test_permissions.py`;
- `permission_world(person, lucas, now)`: (URL values, form values) for the matrix.

A new part adds its module here, or the walk and the matrix fail on its routes.
"""
import importlib

from peerm.parts import PART_NAMES

VISITORS = {
    "anonymous": None,
    "member": "mohammed@peerm.example",
    "volunteer": "kees@peerm.example",
    "coordinator_elsewhere": "jan@peerm.example",
    "coordinator": "fatima@peerm.example",
    "administrator": "beheer@peerm.example",
}
EVERYONE = frozenset(VISITORS)
LOGGED_IN = EVERYONE - {"anonymous"}
COORDINATORS = frozenset({"coordinator", "administrator"})
WORKERS = frozenset({"volunteer", "coordinator", "administrator"})
LUCAS_MEMBERS = frozenset({"member", "volunteer", "coordinator"})


def tables():
    """Each part's module, in the parts' order."""
    return [importlib.import_module(f"part_tables.{name}") for name in PART_NAMES]


def merged(name, empty):
    """One table, merged over the parts."""
    result = type(empty)()
    for module in tables():
        value = getattr(module, name, empty)
        if isinstance(result, dict):
            result.update(value)
        else:
            result |= set(value)
    return result
