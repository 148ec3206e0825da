"""Sessions live in the database: a session that ended on one app process opens nothing on
another, and many requests of one session at once all find it."""
from .conftest import at_once

AT_ONCE = 16


def test_a_session_ended_on_one_process_is_ended_on_every_process(servers):
    phone = servers.client(0).log_in("kees@peerm.example")
    saved = list(phone.cookies)
    assert phone.post_form("/logout", {}, token_from="/account").status == 303
    replay = servers.client(1)
    for cookie in saved:
        replay.cookies.set_cookie(cookie)
    assert replay.get("/account").status == 303
    assert replay.get("/account/export").status == 303


def test_one_session_used_by_many_requests_at_once(servers):
    phone = servers.client(0).log_in("kees@peerm.example")
    twins = [servers.client(i) for i in range(AT_ONCE)]
    for twin in twins:
        for cookie in phone.cookies:
            twin.cookies.set_cookie(cookie)
    answers = at_once(AT_ONCE, lambda i: twins[i].get("/account"))
    assert [getattr(answer, "status", answer) for answer in answers] == [200] * AT_ONCE, answers
