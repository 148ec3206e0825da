"""Invite links accepted at the same moment: every one either joins or gets a clear refusal,
and no request ends in a server error."""
from peerm.accounts import services
from peerm.accounts.models import Membership, Person
from peerm.initiatives.models import Initiative

from .conftest import at_once

PEOPLE = 30


def test_thirty_invites_accepted_at_once_all_join(servers):
    with servers.database():
        admin = Person.get(Person.is_admin == True)  # noqa: E712
        lucas = Initiative.get(Initiative.slug == "lucas-community")
        tokens = [services.create_invite(lucas, "member", admin)[1] for _ in range(PEOPLE)]
        before = Membership.select().where(Membership.initiative == lucas).count()
    clients = [servers.client(i) for i in range(PEOPLE)]
    pages = [client.form_token(f"/invite/{token}") for client, token in zip(clients, tokens)]

    def accept(i):
        return clients[i].post(f"/invite/{tokens[i]}", {
            "csrf_token": pages[i], "display_name": f"Nieuw lid {i}",
            "email": f"nieuw{i}@example.org", "password": "een lang wachtwoord dat klopt"})

    answers = at_once(PEOPLE, accept)
    assert [a.status for a in answers] == [303] * PEOPLE, answers
    with servers.database():
        after = Membership.select().where(Membership.initiative == lucas).count()
    assert after == before + PEOPLE
