"""Account changes made at the same moment: every request either does its work or gets a clear
refusal, and none ends in a server error — on one process and on two."""
from peerm.accounts import services
from peerm.accounts.demo import DEMO_PASSWORD
from peerm.accounts.models import Invite, Membership, Person
from peerm.initiatives.models import Initiative

from .conftest import at_once

AT_ONCE = 10


def statuses(answers):
    return [getattr(answer, "status", answer) for answer in answers]


def membership_of(email, slug):
    return Membership.get_or_none(person=Person.by_email(email),
                                  initiative=Initiative.get(slug=slug))


def test_one_person_opening_invites_at_once_joins_once(servers):
    with servers.database():
        admin = Person.get(Person.is_admin == True)  # noqa: E712
        lucas = Initiative.get(slug="lucas-community")
        tokens = [services.create_invite(lucas, role, admin)[1]
                  for role in ("member", "volunteer") * (AT_ONCE // 2)]
    els = servers.client(0).log_in("els@peerm.example")
    form_token = els.form_token("/account")

    def join(i):
        return els.post(f"/invite/{tokens[i]}", {"csrf_token": form_token})

    answers = statuses(at_once(AT_ONCE, join))
    assert answers == [303] * AT_ONCE, answers
    with servers.database():
        assert membership_of("els@peerm.example", "lucas-community") is not None
        assert Invite.select().where(Invite.used_at.is_null()
                                     & (Invite.purpose == "join")).count() == 0


def test_one_reset_link_used_at_once_sets_one_password(servers):
    with servers.database():
        mohammed = Person.by_email("mohammed@peerm.example")
        _, token = services.create_reset(mohammed, None)
    clients = [servers.client(i) for i in range(AT_ONCE)]
    form_tokens = [client.form_token(f"/reset/{token}") for client in clients]

    def reset(i):
        return clients[i].post(f"/reset/{token}", {"csrf_token": form_tokens[i],
                                                   "password": f"nieuw wachtwoord nummer {i}"})

    answers = statuses(at_once(AT_ONCE, reset))
    assert answers.count(303) == 1, answers
    assert all(status in (303, 400, 410) for status in answers), answers
    winner = answers.index(303)
    mohammed = servers.client(1).log_in("mohammed@peerm.example",
                                        f"nieuw wachtwoord nummer {winner}")
    assert mohammed.get("/account").status == 200


def test_new_password_links_made_at_once_leave_one_that_works(servers):
    fatima = servers.client(0).log_in("fatima@peerm.example")
    with servers.database():
        mohammed = membership_of("mohammed@peerm.example", "lucas-community")
    form_token = fatima.form_token("/account")
    path = f"/initiatives/lucas-community/members/{mohammed.id}/reset"

    answers = statuses(at_once(AT_ONCE, lambda i: fatima.post(path, {"csrf_token": form_token})))
    # Each answer goes on to the page that shows the link (post/redirect/get).
    assert answers == [303] * AT_ONCE, answers
    with servers.database():
        from peerm.core import clock

        assert Invite.select().where((Invite.person == mohammed.person_id)
                                     & (Invite.purpose == "reset")
                                     & Invite.used_at.is_null()
                                     & (Invite.expires_at > clock.now())).count() == 1


def test_profile_saved_from_several_phones_at_once(servers):
    phones = [servers.client(i).log_in("kees@peerm.example") for i in range(AT_ONCE)]
    form_tokens = [phone.form_token("/account") for phone in phones]

    def save(i):
        return phones[i].post("/account", {"csrf_token": form_tokens[i],
                                           "display_name": f"Kees {i}", "phone": "",
                                           "language": "nl"})

    answers = statuses(at_once(AT_ONCE, save))
    assert answers == [303] * AT_ONCE, answers
    with servers.database():
        assert Person.by_email("kees@peerm.example").display_name.startswith("Kees ")
        # A profile save writes its own fields only: the password is the one it was.
        assert services.password_matches(Person.by_email("kees@peerm.example"), DEMO_PASSWORD)


def test_roles_changed_and_removed_at_once(servers):
    coordinators = [servers.client(i).log_in("fatima@peerm.example") for i in range(AT_ONCE)]
    form_tokens = [client.form_token("/account") for client in coordinators]
    with servers.database():
        mohammed = membership_of("mohammed@peerm.example", "lucas-community").id
    base = f"/initiatives/lucas-community/members/{mohammed}"

    def act(i):
        if i % 2:
            return coordinators[i].post(f"{base}/remove", {"csrf_token": form_tokens[i]})
        return coordinators[i].post(f"{base}/role", {"csrf_token": form_tokens[i],
                                                     "role": "volunteer"})

    answers = statuses(at_once(AT_ONCE, act))
    assert all(status in (303, 404) for status in answers), answers
    with servers.database():
        assert membership_of("mohammed@peerm.example", "lucas-community") is None


def test_logins_that_renew_their_hash_at_once(servers):
    from argon2 import PasswordHasher

    weaker = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    emails = ["kees@peerm.example", "els@peerm.example", "anouk@peerm.example",
              "mohammed@peerm.example", "jan@peerm.example"]
    with servers.database():
        Person.update(password_hash=weaker.hash(DEMO_PASSWORD)).where(
            Person.email.in_(emails)).execute()
    clients = [servers.client(i) for i in range(AT_ONCE)]
    form_tokens = [client.form_token("/login") for client in clients]

    def log_in(i):
        return clients[i].post("/login", {"csrf_token": form_tokens[i],
                                          "email": emails[i % len(emails)],
                                          "password": DEMO_PASSWORD})

    answers = statuses(at_once(AT_ONCE, log_in))
    assert answers == [303] * AT_ONCE, answers
    with servers.database():
        for email in emails:
            stored = Person.by_email(email).password_hash
            assert services.password_matches(Person.by_email(email), DEMO_PASSWORD)
            assert not services.hasher().check_needs_rehash(stored)
