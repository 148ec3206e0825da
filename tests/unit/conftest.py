"""Fixtures of the unit suite: a database emptied of the demo data, for small worlds."""
import pytest

from peerm.parts import all_models


@pytest.fixture
def empty_db(db_connection):
    """The test's database with every table emptied, referencing tables first."""
    for model in reversed(all_models()):
        model.delete().execute()
    return db_connection
