"""axe-core finds nothing on the main pages of every kind of person, logged in as them, on a
360 × 740 phone, in Dutch and English: their home ("what needs me today"), the lists, and the
pages of their role (the door list, the counter, the management pages, the members)."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from .test_shell import log_in

pytestmark = pytest.mark.browser
axe = Axe()

# Who, and the main pages they use (besides the home and the lists everyone has).
ROLES = {
    "anonymous": (None, ["/login"]),
    "member": ("mohammed@peerm.example", ["/account", "/toolshed/mine", "/events/mine"]),
    "volunteer": ("kees@peerm.example", ["/volunteering", "/volunteering/claims"]),
    "counter": ("anouk@peerm.example", ["/toolshed/talent-in-actie/counter"]),
    "coordinator": ("fatima@peerm.example", ["/initiatives/lucas-community/members",
                                             "/volunteering/lucas-community/manage"]),
    "administrator": ("beheer@peerm.example", ["/toolshed/talent-in-actie/manage"]),
}
EVERYONE = ["/", "/events", "/initiatives", "/toolshed", "/outbox"]
# Found in a part's own template and left to that part (reported), by page and rule: the
# test fails on anything else.
KNOWN = {
    ("/events", "heading-order"): "templates/events/_item.html: an h3 right under the h1",
}


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5]) for v in violations)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("role", sorted(ROLES))
def test_no_axe_violations_on_the_main_pages_of_each_role(make_context, base_url, role, lang):
    email, own = ROLES[role]
    context = make_context(service_workers="block")
    context.add_cookies([{"name": "lang", "value": lang, "url": base_url}])
    page = context.new_page()
    if email:
        log_in(page, email)
        # Logging in brings the person's own language (Dutch): look in this one.
        context.add_cookies([{"name": "lang", "value": lang, "url": base_url}])
    found = {}
    for path in EVERYONE + own:
        response = page.goto(path)
        assert response.status == 200, (path, response.status)
        assert page.evaluate("() => document.documentElement.lang") == lang
        violations = [v for v in axe.run(page).response["violations"]
                      if (path, v["id"]) not in KNOWN]
        if violations:
            found[path] = describe(violations)
        # The menu, opened, is part of every page.
        page.locator(".menu summary").click()
        violations = [v for v in axe.run(page).response["violations"]
                      if (path, v["id"]) not in KNOWN]
        if violations:
            found[path + " (menu open)"] = describe(violations)
    assert found == {}, "\n".join(f"{path}:\n{text}" for path, text in found.items())
