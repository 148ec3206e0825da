"""A coordinator raises an event's places while sign-ups arrive, run for real against the served
app (threads on SQLite, two processes on PostgreSQL).

Whatever the order, the event never holds more people than its places, nobody passes someone
who was already waiting, and no request ends in a 5xx.
"""
import datetime as dt

from peerm.core import clock
from peerm.events.models import Event, Signup

from .conftest import action, at_once
from .test_event_races import make_event, no_server_errors

COORDINATOR = "fatima@peerm.example"
# People who sign up, one each, while the places go from 2 to 6.
ARRIVALS = 10
BEFORE, AFTER = 2, 6


def edit_data(servers, event_id, capacity):
    with servers.database():
        event = Event.get_by_id(event_id)
        local = clock.local
        return {"kind": event.kind, "title_nl": event.title_nl, "title_en": event.title_en,
                "summary_nl": event.summary_nl, "summary_en": event.summary_en,
                "place": event.place, "signup_open": "1", "capacity": str(capacity),
                "starts_at": local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": local(event.ends_at).strftime("%Y-%m-%dT%H:%M")}


def test_raising_places_while_signups_arrive_never_overfills_and_keeps_the_order(servers):
    event = make_event(servers, capacity=BEFORE)
    # Two are waiting already, behind a full event.
    first = servers.client(0)
    early = [action("event.signup", {"event": event, "name": f"Vroeg {n}", "party_size": 1})
             for n in range(BEFORE + 2)]
    assert [r["outcome"] for r in first.sync(early).json()["results"]] == (
        ["confirmed"] * BEFORE + ["waitlisted"] * 2)
    coordinator = servers.client(1).log_in(COORDINATOR)
    token = coordinator.form_token(f"/events/{event}/edit")
    data = edit_data(servers, event, AFTER)
    phones = [servers.client(i + 2) for i in range(ARRIVALS)]
    arrivals = [action("event.signup", {"event": event, "name": f"Gast {n}", "party_size": 1})
                for n in range(ARRIVALS)]

    def run(i):
        if i == 0:
            return coordinator.post(f"/events/{event}/edit", {"csrf_token": token, **data})
        return phones[i - 1].sync([arrivals[i - 1]])

    answers = at_once(ARRIVALS + 1, run)
    no_server_errors(answers)
    assert answers[0].status == 303, answers[0]
    with servers.database():
        assert Event.get_by_id(event).capacity == AFTER
        rows = list(Signup.select().where(Signup.event == event).order_by(Signup.id))
    confirmed = [row for row in rows if row.status == "confirmed"]
    waiting = [row for row in rows if row.status == "waitlisted"]
    assert len(rows) == BEFORE + 2 + ARRIVALS
    assert sum(row.party_size for row in confirmed) == AFTER
    # Those waiting before moved up first; nobody confirmed arrived after someone still waiting.
    assert {row.name for row in confirmed} >= {f"Vroeg {n}" for n in range(BEFORE + 2)}
    assert max(row.id for row in confirmed) < min(row.id for row in waiting)


def test_cancelling_an_event_while_signups_arrive_lets_none_in_afterwards(servers):
    event = make_event(servers, capacity=50)
    coordinator = servers.client(0).log_in(COORDINATOR)
    token = coordinator.form_token(f"/events/{event}/cancel")
    phones = [servers.client(i + 1) for i in range(ARRIVALS)]
    arrivals = [action("event.signup", {"event": event, "name": f"Gast {n}", "party_size": 1})
                for n in range(ARRIVALS)]

    def run(i):
        if i == 0:
            return coordinator.post(f"/events/{event}/cancel", {"csrf_token": token})
        return phones[i - 1].sync([arrivals[i - 1]])

    answers = at_once(ARRIVALS + 1, run)
    no_server_errors(answers)
    assert answers[0].status == 200, answers[0]
    with servers.database():
        cancelled_at = Event.get_by_id(event).cancelled_at
        made = list(Signup.select().where(Signup.event == event))
    assert cancelled_at is not None
    refused = [a for a in answers[1:] if a.json()["results"][0]["outcome"] == "event_cancelled"]
    # Every sign-up was either made before the event was called off, or refused.
    assert len(made) + len(refused) == ARRIVALS
    assert all(row.created_at <= cancelled_at + dt.timedelta(seconds=1) for row in made)
