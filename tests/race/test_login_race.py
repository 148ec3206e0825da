"""Wrong passwords sent at the same moment: no more of them are checked than the limit allows,
and the right password sent once the limit's worth were checked does not log in — on one
process and on two."""
from peerm.accounts import services
from peerm.accounts.demo import DEMO_PASSWORD

from .conftest import at_once

ATTEMPTS = 40
EMAIL = "kees@peerm.example"


def test_forty_wrong_passwords_at_once_are_checked_no_more_than_the_limit(servers):
    clients = [servers.client(i) for i in range(ATTEMPTS)]
    tokens = [client.form_token("/login") for client in clients]

    def guess(i):
        return clients[i].post("/login", {"csrf_token": tokens[i], "email": EMAIL,
                                          "password": f"geraden wachtwoord {i}"})

    answers = at_once(ATTEMPTS, guess)
    statuses = [getattr(answer, "status", answer) for answer in answers]
    # 400 is a password that was checked and was wrong (login_failed); 429 a refusal before
    # any check (rate_limited).
    checked, refused = statuses.count(400), statuses.count(429)
    assert checked + refused == ATTEMPTS, statuses
    assert 1 <= checked <= services.ACCOUNT_FAILURES, statuses

    # Attempts refused in the burst took their rows away again, so however the burst fell out
    # the account is locked only once the limit's worth of passwords were checked: more wrong
    # ones are checked until then, and no password after them, not even the right one.
    late = servers.client(1)
    for i in range(services.ACCOUNT_FAILURES - checked):
        wrong = late.post_form("/login", {"email": EMAIL, "password": f"nog een gok {i}"})
        assert wrong.status == 400, wrong
    answer = late.post_form("/login", {"email": EMAIL, "password": DEMO_PASSWORD})
    assert answer.status == 429, answer
    assert late.get("/account").status == 303
