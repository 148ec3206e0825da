"""The library on a phone without signal: a collection kept on request opens and is searched
offline (the server sees nothing); a kept copy that is out of date says so and is brought up
to date when the phone is online again; a document is kept and removed again."""
import re

import pytest
from playwright.sync_api import expect

from peerm.core.db import db, write_transaction
from peerm.library import services
from peerm.library.models import Document

pytestmark = pytest.mark.browser

# What the library cache holds for a path (the page's text), read in the page.
KEPT_TEXT = """
async (url) => {
  const cache = await caches.open("peerm-library");
  const response = await cache.match(url, {ignoreVary: true});
  return response ? await response.text() : null;
}
"""


def documents(live_server, *keys):
    live_server.rebind_database()
    with live_server.app.app_context(), db.connection_context():
        return {key: Document.get(Document.seed_key == key).id for key in keys}


def ready(page, sw):
    """The worker controls the page, and the page and the worker have nothing under way."""
    sw.wait_for_control(page)
    sw.wait_until_idle(page)


def test_kept_collection_opens_and_is_searched_offline(context, sw, live_server):
    ids = documents(live_server, "sociale-onderneming-vrijwilligers", "methodiek-administraties",
                    "sjabloon-afsprakenlijst-vrijwilliger", "wijkraad-starten")
    page = context.new_page()
    page.goto("/library?tag=volunteers")
    ready(page, sw)
    keep = page.get_by_role("button", name="Bewaar 3 documenten op deze telefoon")
    expect(keep).to_be_visible()
    expect(page.locator(".kept-mark:visible")).to_have_count(0)
    keep.click()
    expect(page.locator("#library-list .keep__status")).to_have_text(
        "Bewaard op deze telefoon: 3 documenten.")
    sw.wait_until_idle(page)
    expect(page.locator(".kept-mark:visible")).to_have_count(3)

    context.set_offline(True)
    live_server.clear()
    # A document of the collection that this phone never opened.
    response = page.goto(f"/library/{ids['sociale-onderneming-vrijwilligers']}")
    assert response.from_service_worker
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Werken als sociale onderneming met vrijwilligers")
    expect(page.locator(".doc__body table")).to_be_visible()
    expect(page.locator("[data-keep-doc] .keep__status")).to_have_text(
        "Bewaard op deze telefoon: versie 1.")

    # The list, searched on the phone.
    page.goto("/library")
    page.get_by_label("Zoeken").fill("belasting")
    expect(page.locator("#library-list .note")).to_have_text(
        "Geen internet: gezocht in de documenten op deze telefoon.")
    expect(page.locator("#library-list .card__title")).to_have_text(
        ["Werken als sociale onderneming met vrijwilligers"])
    expect(page.locator("#library-list .kept-mark")).to_have_text(["Op deze telefoon"])
    # A document that is in the index but not kept says it needs signal.
    page.get_by_label("Zoeken").fill("wijkraad")
    expect(page.locator("#library-list .card__title")).to_have_text(["Zo start je een wijkraad"])
    expect(page.locator("#library-list .kept-mark")).to_have_text(
        ["Niet op deze telefoon: opent alleen met internet"])
    # A subject chosen offline is searched on the phone too.
    page.get_by_label("Zoeken").fill("")
    page.get_by_label("Onderwerp").select_option("paperwork")
    expect(page.locator("#library-list .card__title")).to_have_text(
        ["Methodiek Administraties: samen de papieren op orde"])
    page.locator("#library-list .card__title a").click()
    expect(page).to_have_url(re.compile(rf"/library/{ids['methodiek-administraties']}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Methodiek Administraties: samen de papieren op orde")
    sw.wait_until_idle(page)
    # Only the browser's own check for a new worker reaches the server (it ignores "offline").
    assert [seen for seen in live_server.requests if seen != "/sw.js"] == []
    context.set_offline(False)


def test_out_of_date_copy_says_so_and_is_refreshed_online(context, sw, live_server):
    key = "stappenplan-bijzondere-status"
    document_id = documents(live_server, key)[key]
    path = f"/library/{document_id}"
    page = context.new_page()
    page.goto(path)
    ready(page, sw)
    status = page.locator("[data-keep-doc] .keep__status")
    page.get_by_role("button", name="Bewaar op deze telefoon").click()
    expect(status).to_have_text("Bewaard op deze telefoon: versie 1.")
    sw.wait_until_idle(page)
    assert 'data-revision="1"' in page.evaluate(KEPT_TEXT, path)

    # A coordinator saves version 2 on the server.
    live_server.rebind_database()
    with live_server.app.app_context(), db.connection_context():
        document = Document.get_by_id(document_id)
        current = document.latest()
        texts = {name: getattr(current, name) for name in services.TEXT_FIELDS}
        texts["body_nl"] += "\n\n## Stap 7: Vier het\n\nVier samen wat er bereikt is."
        with write_transaction():
            services.save_revision(None, document, texts, note="stap 7", base=1)

    # Without signal the phone has the old copy and says so once it knows.
    context.set_offline(True)
    page.goto(path)
    expect(page.locator("[data-revision]")).to_have_text("versie 1")
    context.set_offline(False)
    # Online again: the page is new, the kept copy is behind, and it is brought up to date.
    page.reload()
    expect(status).to_have_text(re.compile(
        r"^(De kopie op deze telefoon is versie 1; versie 2 is nieuwer\. Wordt bijgewerkt…"
        r"|Op deze telefoon bijgewerkt naar versie 2\.)$"))
    expect(status).to_have_text("Op deze telefoon bijgewerkt naar versie 2.")
    sw.wait_until_idle(page)
    kept = page.evaluate(KEPT_TEXT, path)
    assert 'data-revision="2"' in kept and "Stap 7: Vier het" in kept
    # And it is that copy the phone shows without signal.
    context.set_offline(True)
    page.goto(path)
    expect(page.locator("[data-revision]")).to_have_text("versie 2")
    context.set_offline(False)


def test_kept_document_removed_again(context, sw, live_server):
    key = "methodiek-administraties"
    path = f"/library/{documents(live_server, key)[key]}"
    page = context.new_page()
    page.goto(path)
    ready(page, sw)
    page.get_by_role("button", name="Bewaar op deze telefoon").click()
    remove = page.get_by_role("button", name="Verwijder van deze telefoon")
    expect(remove).to_be_visible()
    remove.click()
    expect(page.locator("[data-keep-doc] .keep__status")).to_have_text(
        "Verwijderd van deze telefoon.")
    sw.wait_until_idle(page)
    assert page.evaluate(KEPT_TEXT, path) is None
    expect(page.get_by_role("button", name="Bewaar op deze telefoon")).to_be_visible()


def tiny_png():
    """A real 2×2 PNG image, made here."""
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\x00" + b"\x0b\x6e\x69" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_photo_in_kept_document_shows_offline(context, sw, live_server, tmp_path, monkeypatch):
    monkeypatch.setitem(live_server.app.config, "LIBRARY_FOLDER", str(tmp_path / "library"))
    key = "sjabloon-afsprakenlijst-vrijwilliger"
    document_id = documents(live_server, key)[key]
    live_server.rebind_database()
    with live_server.app.app_context(), db.connection_context():
        document = Document.get_by_id(document_id)
        with write_transaction():
            photo = services.add_attachment(None, document, "voorbeeld.png", tiny_png())
        current = document.latest()
        texts = {name: getattr(current, name) for name in services.TEXT_FIELDS}
        texts["body_nl"] += (f"\n\n![Een ingevulde lijst](/library/{document_id}/files/"
                             f"{photo.id}/{photo.name})")
        with write_transaction():
            services.save_revision(None, document, texts, base=document.revision)
    path = f"/library/{document_id}"
    page = context.new_page()
    page.goto(path)
    ready(page, sw)
    page.get_by_role("button", name="Bewaar op deze telefoon").click()
    expect(page.locator("[data-keep-doc] .keep__status")).to_have_text(
        re.compile(r"^Bewaard op deze telefoon: versie \d+\.$"))
    sw.wait_until_idle(page)
    context.set_offline(True)
    page.goto(path)
    image = page.get_by_role("img", name="Een ingevulde lijst")
    expect(image).to_be_visible()
    page.wait_for_function("() => { const img = document.querySelector('.doc__body img'); "
                           "return img && img.complete && img.naturalWidth === 2; }")
    context.set_offline(False)
