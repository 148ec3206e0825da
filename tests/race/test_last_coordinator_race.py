"""Two coordinators who both step down at the same moment: one may go, the other stays, so
that the co-operative keeps a coordinator — on one process and on two."""
from peerm.accounts import services
from peerm.accounts.models import Membership, Person
from peerm.initiatives.models import Initiative

from .conftest import at_once


def test_two_coordinators_leaving_at_once_leave_one(servers):
    with servers.database():
        lucas = Initiative.get(slug="lucas-community")
        kees = Membership.get(person=Person.by_email("kees@peerm.example"), initiative=lucas)
        services.change_role(kees, "coordinator")
        ids = {email: Membership.get(person=Person.by_email(email), initiative=lucas).id
               for email in ("fatima@peerm.example", "kees@peerm.example")}
    emails = sorted(ids)
    clients = [servers.client(i).log_in(email) for i, email in enumerate(emails)]
    tokens = [client.form_token("/initiatives/lucas-community/members") for client in clients]

    def leave(i):
        return clients[i].post(
            f"/initiatives/lucas-community/members/{ids[emails[i]]}/remove",
            {"csrf_token": tokens[i]})

    answers = at_once(2, leave)
    assert [getattr(answer, "status", answer) for answer in answers] == [303, 303], answers
    with servers.database():
        lucas = Initiative.get(slug="lucas-community")
        left = Membership.select().where((Membership.initiative == lucas)
                                         & (Membership.role == "coordinator")).count()
    assert left == 1
