"""The pages of the tool library through the test client: the catalogue and its filters (whole
page and htmx partial), a tool's page with reserving, its QR code, the counter and the labels
sheet and who may open them, and lending and taking back through the counter's forms, exactly
once per action id.

Outcomes are read from the database, from status codes and from `data-outcome`; page text only
in the one test that checks the Dutch and the English message of a refusal.
"""
import html
import re
import uuid
from urllib.parse import urlsplit

import segno

from peerm.accounts.models import Person
from peerm.core.db import db
from peerm.initiatives.models import Initiative
from peerm.toolshed.models import Hold, Loan, Tool

HTMX = {"HX-Request": "true"}
COUNTER = "/toolshed/talent-in-actie/counter"
LABELS = "/toolshed/talent-in-actie/labels"


def in_db(app, query):
    with app.app_context(), db.connection_context():
        return query()


def email(name):
    return f"{name}@peerm.example"


def person_id(app, name):
    return in_db(app, lambda: Person.by_email(email(name)).id)


def tool_of(app, name):
    return in_db(app, lambda: Tool.get(Tool.name == name))


def set_status(app, name, status):
    in_db(app, lambda: Tool.update(status=status).where(Tool.name == name).execute())


def text(response):
    return response.get_data(as_text=True)


def path_of(response):
    return urlsplit(response.headers["Location"]).path


def outcome(response):
    found = re.search(r'data-outcome="([^"]*)"', text(response))
    return found.group(1) if found else None


def names(response):
    return sorted(html.unescape(name) for name in re.findall(
        r'<h2 class="card__title"><a href="/toolshed/\d+">([^<]+)</a>', text(response)))


ALL_TOOLS = sorted(["Boormachine", "Decoupeerzaag", "Schuurmachine", "Heggenschaar",
                    "Grasmaaier", "Ladder", "Bakfiets", "Elektrische fiets", "Laptop"])


# The catalogue -----------------------------------------------------------------------------

def test_catalogue_searches_and_filters_with_and_without_htmx(app, client):
    set_status(app, "Steiger", "retired")
    set_status(app, "Ladder", "on_loan")
    ladder = tool_of(app, "Ladder")
    everything = client.get("/toolshed")
    assert everything.status_code == 200
    assert "HX-Request" in everything.headers["Vary"]
    assert names(everything) == ALL_TOOLS                         # the retired one is gone
    assert 'class="note"' not in text(everything)
    assert names(client.get("/toolshed?q=BOOR")) == ["Boormachine"]
    assert names(client.get(f"/toolshed?q={ladder.code.lower()}")) == ["Ladder"]
    assert names(client.get("/toolshed?initiative=lucas-community")) == [
        "Bakfiets", "Elektrische fiets", "Laptop"]
    assert names(client.get("/toolshed?status=on_loan")) == ["Ladder"]
    assert names(client.get("/toolshed?initiative=lucas-community&status=on_loan")) == []
    partial = client.get("/toolshed?q=fiets", headers=HTMX)
    assert partial.status_code == 200
    assert text(partial).lstrip().startswith('<div id="tool-list"')
    assert "<html" not in text(partial)
    assert names(partial) == ["Bakfiets", "Elektrische fiets"]
    for query in ("initiative=nergens", "status=weg", "status=retired"):
        unknown = client.get(f"/toolshed?{query}")
        assert unknown.status_code == 200
        assert 'class="note"' in text(unknown)
        assert names(unknown) == ALL_TOOLS


def svg_path(svg):
    return re.search(r' d="([^"]+)"', svg).group(1)


def test_tool_page_reserves_for_members_and_qr_svg_encodes_code(app, log_in, form_token,
                                                                 client):
    drill = tool_of(app, "Boormachine")
    page = client.get(f"/toolshed/{drill.id}")
    assert page.status_code == 200
    assert drill.code in text(page)
    # Without an account: a link to log in that comes back here, no form that cannot work.
    assert 'data-offline="tool.reserve"' not in text(page)
    assert f'href="/login?next=/toolshed/{drill.id}"' in text(page)
    token = form_token(client, "/toolshed")
    for headers in ({}, HTMX):
        anonymous = client.post(f"/toolshed/{drill.id}/reserve", headers=headers,
                                data={"csrf_token": token, "action_id": str(uuid.uuid4())})
        goes_to = anonymous.headers.get("HX-Redirect") or anonymous.headers["Location"]
        assert goes_to == f"/login?next=/toolshed/{drill.id}"
    opened = client.get(f"/toolshed/{drill.id}/reserve")
    assert (opened.status_code, path_of(opened)) == (303, f"/toolshed/{drill.id}")
    assert client.get("/toolshed/999999").status_code == 404
    assert client.get("/toolshed/999999/reserve").status_code == 404
    els = log_in(email("els"))
    assert 'data-offline="tool.reserve"' in text(els.get(f"/toolshed/{drill.id}"))
    reserved = els.post(f"/toolshed/{drill.id}/reserve", data={
        "csrf_token": form_token(els, f"/toolshed/{drill.id}"), "action_id": str(uuid.uuid4())})
    assert (reserved.status_code, path_of(reserved)) == (303, f"/toolshed/{drill.id}")
    hold = in_db(app, lambda: Hold.get(Hold.tool == drill.id))
    assert (hold.person_id, hold.state) == (person_id(app, "els"), "ready")
    # Kees is no member of talent-in-actie: refused, and the partial says why.
    kees = log_in(email("kees"))
    refused = kees.post(f"/toolshed/{drill.id}/reserve", headers=HTMX, data={
        "csrf_token": form_token(kees, f"/toolshed/{drill.id}"), "action_id": str(uuid.uuid4())})
    assert (refused.status_code, outcome(refused)) == (400, "not_member")
    assert in_db(app, lambda: Hold.select().count()) == 1
    # The QR code on its label holds its code, and no other.
    ladder = tool_of(app, "Ladder")
    response = client.get(f"/toolshed/{drill.id}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = text(response)
    assert svg.lstrip().startswith("<svg")
    assert f"<title>{drill.code}</title>" in svg
    assert svg_path(svg) == svg_path(segno.make(drill.code, error="m").svg_inline(scale=4))
    assert svg_path(svg) != svg_path(segno.make(ladder.code, error="m").svg_inline(scale=4))
    assert client.get("/toolshed/999999/qr.svg").status_code == 404


# The counter and the labels ----------------------------------------------------------------

def test_counter_opens_for_volunteers_and_labels_for_coordinators_only(app, log_in, client):
    statuses = {name: log_in(email(name)).get(COUNTER).status_code
                for name in ("anouk", "jan", "els", "kees")}
    assert statuses == {"anouk": 200, "jan": 200, "els": 403, "kees": 403}
    anonymous = client.get(COUNTER)
    assert (anonymous.status_code, path_of(anonymous)) == (303, "/login")
    # The labels sheet: one QR per tool that is still lent out, for coordinators only.
    set_status(app, "Steiger", "retired")
    sheet = log_in(email("jan")).get(LABELS)
    assert sheet.status_code == 200
    codes = in_db(app, lambda: [t.code for t in Tool.select().join(Initiative).where(
        (Initiative.slug == "talent-in-actie") & (Tool.status != "retired"))])
    labels = re.findall(r'<li class="label"><svg.*?<title>(\w+)</title>', text(sheet), re.DOTALL)
    assert sorted(labels) == sorted(codes)
    assert len(codes) == 6
    assert log_in(email("anouk")).get(LABELS).status_code == 403


def test_counter_forms_lend_once_per_action_id_and_take_back(app, log_in, form_token):
    anouk = log_in(email("anouk"))
    token = form_token(anouk, COUNTER)
    ladder = tool_of(app, "Ladder")
    els = person_id(app, "els")
    referrer = {"Referer": f"http://localhost{COUNTER}"}
    form = {"csrf_token": token, "action_id": str(uuid.uuid4()), "tool": ladder.code,
            "borrower": str(els), "due": "", "rules": "1"}
    for _ in range(2):                 # a double tap or a reload sends the same action again
        lent = anouk.post("/toolshed/lend", data=form, headers=referrer)
        assert (lent.status_code, path_of(lent)) == (303, COUNTER)
    loans = in_db(app, lambda: list(Loan.select().where(Loan.tool == ladder.id)))
    assert [(loan.borrower_id, loan.flagged, loan.returned_at) for loan in loans] == [
        (els, False, None)]
    assert tool_of(app, "Ladder").status == "on_loan"
    back = anouk.post("/toolshed/return", headers=referrer, data={
        "csrf_token": token, "action_id": str(uuid.uuid4()), "tool": ladder.code,
        "condition": "worn"})
    assert (back.status_code, path_of(back)) == (303, COUNTER)
    returned = in_db(app, lambda: Loan.get_by_id(loans[0].id))
    assert (returned.returned_at is not None, returned.return_condition) == (True, "worn")
    assert (tool_of(app, "Ladder").status, tool_of(app, "Ladder").condition) == ("available",
                                                                               "worn")
    # A member cannot use the counter's forms either.
    member = log_in(email("els"))
    refused = member.post("/toolshed/lend", headers=HTMX, data={
        **form, "csrf_token": form_token(member, "/toolshed"), "action_id": str(uuid.uuid4())})
    assert (refused.status_code, outcome(refused)) == (400, "not_allowed")
    assert in_db(app, lambda: Loan.select().count()) == 1


def test_counter_refusal_speaks_dutch_by_default_and_english_on_request(log_in, form_token,
                                                                        app):
    anouk = log_in(email("anouk"))
    form = {"csrf_token": form_token(anouk, COUNTER), "tool": "ZZZZZ",
            "borrower": str(person_id(app, "els")), "due": "", "rules": "1"}
    dutch = anouk.post("/toolshed/lend", headers=HTMX,
                       data={**form, "action_id": str(uuid.uuid4())})
    assert (dutch.status_code, outcome(dutch)) == (400, "tool_unknown")
    assert "Er is geen gereedschap met de code ZZZZZ." in text(dutch)
    anouk.set_cookie("lang", "en")
    english = anouk.post("/toolshed/lend", headers=HTMX,
                         data={**form, "action_id": str(uuid.uuid4())})
    assert outcome(english) == "tool_unknown"
    assert "There is no tool with the code ZZZZZ." in text(english)


def test_tools_show_in_english_where_written_and_dutch_marked_with_lang(app, log_in,
                                                                         form_token, client):
    jan = log_in(email("jan"))
    manage = "/toolshed/talent-in-actie/manage"
    category = in_db(app, lambda: Tool.get(Tool.name == "Ladder").category_id)
    token = form_token(jan, manage)
    jan.post("/toolshed/talent-in-actie/tools", data={
        "csrf_token": token, "name": "Kruiwagen", "name_en": "Wheelbarrow",
        "description": "Met luchtband.", "description_en": "With an air tyre.",
        "category": str(category), "condition": "good"})
    jan.post("/toolshed/talent-in-actie/tools", data={
        "csrf_token": token, "name": "Zaagbok", "category": str(category)})
    barrow = tool_of(app, "Kruiwagen")
    assert (barrow.name_en, barrow.description_en) == ("Wheelbarrow", "With an air tyre.")
    assert tool_of(app, "Zaagbok").name_en is None

    client.set_cookie("lang", "en")
    english = text(client.get("/toolshed?initiative=talent-in-actie"))
    assert f'<a href="/toolshed/{barrow.id}">Wheelbarrow</a>' in english
    assert "Odd jobs" in english and "Klussen" not in english
    # Written in Dutch only: shown in Dutch, marked so, in English pages.
    bench = tool_of(app, "Zaagbok")
    assert f'<a href="/toolshed/{bench.id}" lang="nl">Zaagbok</a>' in english
    page = text(client.get(f"/toolshed/{barrow.id}"))
    assert "<h1>Wheelbarrow</h1>" in page and "<p>With an air tyre.</p>" in page
    assert "Wheelbarrow" in text(client.get("/toolshed?q=wheel"))
    client.set_cookie("lang", "nl")
    dutch = text(client.get(f"/toolshed/{barrow.id}"))
    assert "<h1>Kruiwagen</h1>" in dutch and "<p>Met luchtband.</p>" in dutch
