"""Two coordinators thank the same person for the same answer at the same moment: the thanks
are recorded once, the other is told so (400), and no request ends in a 5xx."""
import datetime as dt

from peerm.core import clock
from peerm.initiatives.models import Initiative
from peerm.needs.models import Need, Pledge

from .conftest import at_once

COORDINATORS = 2


def test_thanks_sent_at_once_are_recorded_once(servers):
    with servers.database():
        need = Need.create(initiative=Initiative.get(slug="lucas-community"), kind="material",
                           text_nl="Een busje", text_en="A van", status="open",
                           visibility="network", list_until=clock.today() + dt.timedelta(days=30),
                           created_at=clock.now())
        pledge = Pledge.create(need=need, name="Ria", contact="ria@example.org",
                               offer="Ik leen mijn busje uit", status="accepted",
                               created_at=clock.now())
        path = f"/needs/{need.id}/answers/{pledge.id}/thank"
    clients = [servers.client(i).log_in("fatima@peerm.example") for i in range(COORDINATORS)]
    tokens = [client.form_token(f"/needs/{need.id}/answers") for client in clients]

    answers = at_once(COORDINATORS, lambda i: clients[i].post(
        path, {"csrf_token": tokens[i], "message": f"Dank je wel ({i})"}))

    failed = [a for a in answers if isinstance(a, Exception) or a.status >= 500]
    assert failed == [], failed
    assert sorted(a.status for a in answers) == [303, 400]
    with servers.database():
        stored = Pledge.get_by_id(pledge.id)
        assert stored.thanked_at is not None and stored.thanks.startswith("Dank je wel (")
