"""Volunteering under concurrency, served for real (see conftest.py): wrong PINs on a shared
phone sent all at once cannot pass the limit; two coordinators deciding the same hours or claim
at the same moment decide it once, and the other sees why; the first allowance settings of a
co-operative saved twice at once make one row. No answer is a 5xx.
"""
import datetime as dt
import re
import uuid
from urllib.parse import urlsplit

from tests.race.conftest import at_once

MANAGE = "/volunteering/lucas-community/manage"
# Wrong PINs that lock a volunteer out for a while.
PIN_LIMIT = 5
ERROR_FLASH = re.compile(r'class="flash flash--error"')


def statuses(answers):
    return sorted(answer.status if hasattr(answer, "status") else repr(answer)
                  for answer in answers)


def lucas_group(servers):
    from peerm.initiatives.models import Initiative
    from peerm.volunteering.models import WorkingGroup

    with servers.database():
        return WorkingGroup.of(Initiative.get(slug="lucas-community")).first().id


def person_id(servers, email):
    from peerm.accounts.models import Person

    with servers.database():
        return Person.by_email(email).id


def logged_in(servers, count, emails):
    """`count` clients, spread over the app processes, logged in as these people in turn, each
    with its form token read from the coordinators' page."""
    clients = []
    for i in range(count):
        client = servers.client(i).log_in(emails[i % len(emails)])
        client.token = client.form_token(MANAGE)
        clients.append(client)
    return clients


def saw_error(client):
    """Whether the page after the client's form shows it a refusal."""
    return bool(ERROR_FLASH.search(client.get(MANAGE).text))


def test_parallel_wrong_pins_cannot_pass_the_limit(servers):
    from peerm.accounts.models import LoginFailure, Person
    from peerm.volunteering import services

    group = lucas_group(servers)
    kees = person_id(servers, "kees@peerm.example")
    with servers.database():
        services.set_pin(Person.get_by_id(kees), "2468")
    fatima = servers.client(0).log_in("fatima@peerm.example")
    made = fatima.post_form(f"/volunteering/groups/{group}/kiosk", {}, token_from=MANAGE)
    assert made.status == 303, made
    token = urlsplit(made.headers["Location"]).path.rsplit("/", 1)[1]
    phones = [servers.client(i) for i in range(12)]

    def guess(i):
        return phones[i].sync([{
            "id": str(uuid.uuid4()), "type": "shift.checkin",
            "at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "data": {"group": group, "person": kees, "pin": f"{1000 + i}", "kiosk": token}}])

    answers = at_once(12, guess)
    assert statuses(answers) == [200] * 12, answers
    outcomes = [answer.json()["results"][0]["outcome"] for answer in answers]
    assert set(outcomes) <= {"pin_wrong", "pin_limited"}, outcomes
    assert outcomes.count("pin_wrong") <= PIN_LIMIT, outcomes
    with servers.database():
        counted = LoginFailure.select().where(LoginFailure.key == f"pin:{kees}").count()
    assert counted <= PIN_LIMIT
    # Kees is locked out for now: his right PIN waits instead of being refused for good.
    [locked] = guess(0).json()["results"]
    assert (locked["status"], locked["outcome"]) == ("unauthorized", "pin_limited")


def test_two_coordinators_approving_same_hours_at_once_approve_them_once(servers):
    from peerm.accounts.models import Person
    from peerm.volunteering.models import Shift, ShiftChange

    kees = person_id(servers, "kees@peerm.example")
    start = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(9))
    with servers.database():
        shift = Shift.create(person=Person.get_by_id(kees), group=lucas_group(servers),
                             checkin_action=str(uuid.uuid4()), checkin_at=start,
                             checkout_at=start + dt.timedelta(hours=4), state="closed").id
    clients = logged_in(servers, 8, ["fatima@peerm.example", "beheer@peerm.example"])

    def approve(i):
        return clients[i].post(f"/volunteering/shifts/{shift}/approve",
                               {"csrf_token": clients[i].token, "end": "13:00",
                                "reason": "Eerder weg" if i % 2 else ""})

    answers = at_once(8, approve)
    assert statuses(answers) == [303] * 8, answers
    with servers.database():
        approvals = ShiftChange.select().where((ShiftChange.shift == shift)
                                               & (ShiftChange.new == "approved")).count()
        assert (Shift.get_by_id(shift).state, approvals) == ("approved", 1)
    # One coordinator approved them; the seven others are told they were approved already.
    assert sorted(saw_error(client) for client in clients) == [False] + [True] * 7


def test_two_coordinators_deciding_same_claim_at_once_decide_it_once(servers):
    from peerm.accounts.models import Person
    from peerm.initiatives.models import Initiative
    from peerm.volunteering.models import ExpenseClaim

    with servers.database():
        claim = ExpenseClaim.create(
            person=Person.by_email("kees@peerm.example"),
            initiative=Initiative.get(slug="lucas-community"), kind="other",
            amount_cents=1250, date=dt.date.today(), state="submitted").id
    clients = logged_in(servers, 8, ["fatima@peerm.example", "beheer@peerm.example"])

    def decide(i):
        decision = "approve" if i % 2 else "reject"
        return clients[i].post(f"/volunteering/claims/{claim}/{decision}",
                               {"csrf_token": clients[i].token, "reason": "Geen bon"})

    answers = at_once(8, decide)
    assert statuses(answers) == [303] * 8, answers
    assert sorted(saw_error(client) for client in clients) == [False] + [True] * 7
    with servers.database():
        assert ExpenseClaim.get_by_id(claim).state in ("approved", "rejected")


def test_first_allowance_settings_saved_at_once_make_one_row(servers):
    from peerm.initiatives.models import Initiative
    from peerm.volunteering.models import AllowanceSetting

    with servers.database():
        slug = (Initiative.select().where(Initiative.id.not_in(
            AllowanceSetting.select(AllowanceSetting.initiative))).order_by(Initiative.slug)
            .first().slug)
    clients = [servers.client(i).log_in("beheer@peerm.example") for i in range(6)]
    tokens = [client.form_token(f"/volunteering/{slug}/manage") for client in clients]

    def save(i):
        return clients[i].post(f"/volunteering/{slug}/settings", {
            "csrf_token": tokens[i], "mode": "monthly", "hourly": "", "monthly": f"{50 + i}",
            "km_rate": "0,21", "checkout_limit_hours": "6"})

    answers = at_once(6, save)
    assert statuses(answers) == [303] * 6, answers
    with servers.database():
        [setting] = AllowanceSetting.select().join(Initiative).where(Initiative.slug == slug)
    assert (setting.mode, setting.km_rate_cents, setting.checkout_limit_hours) == (
        "monthly", 21, 6)
    assert 5000 <= setting.monthly_cents <= 5500
