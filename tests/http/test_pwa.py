"""What makes Peer'M installable and usable offline: the manifest, the worker and the kept pages."""
import io
import json

from html_pages import Page
from PIL import Image

from peerm.initiatives.seed import INITIATIVES

DETAIL_PAGES = [f"/initiatives/{item['slug']}" for item in INITIATIVES]


def _manifest(client, **headers):
    response = client.get("/manifest.webmanifest", headers=headers)
    assert response.status_code == 200
    return json.loads(response.data)


def _bundles(client):
    page = Page.of(client.get("/"))
    return [page.first("link", rel="stylesheet")["href"], page.first("script")["src"]]


def test_manifest_describes_installable_app_when_fetched(client, fetch):
    manifest = _manifest(client)
    assert manifest["name"].startswith("Peer'M")
    assert manifest["short_name"] == "Peer'M"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    for colour in ("theme_color", "background_color"):
        assert len(manifest[colour]) == 7 and manifest[colour].startswith("#")
    assert manifest["lang"] == "nl"
    icons = manifest["icons"]
    assert {"192x192", "512x512"} <= {i["sizes"] for i in icons if i.get("purpose") == "any"}
    assert any(icon.get("purpose") == "maskable" for icon in icons)
    assert fetch("/").first("link", rel="manifest")["href"] == "/manifest.webmanifest"


def test_manifest_follows_language_when_english_is_chosen(app):
    client = app.test_client()
    dutch = _manifest(client)
    by_header = _manifest(client, **{"Accept-Language": "en"})
    client.set_cookie("lang", "en")
    by_cookie = _manifest(client)
    assert by_header["lang"] == by_cookie["lang"] == "en"
    assert by_header["description"] == by_cookie["description"] != dutch["description"]


def test_icons_are_pngs_of_stated_size_when_downloaded(client):
    icons = [(icon["src"], icon["sizes"]) for icon in _manifest(client)["icons"]]
    for src, sizes in icons + [("/favicon.ico", "32x32")]:
        response = client.get(src)
        assert response.status_code == 200
        assert response.mimetype == "image/png"
        image = Image.open(io.BytesIO(response.data))
        assert image.format == "PNG"
        assert image.size == tuple(int(n) for n in sizes.split("x")), src


def test_worker_is_fresh_javascript_with_both_bundles_when_fetched(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript")
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    source = response.get_data(as_text=True)
    for url in _bundles(client):
        assert f'"{url}"' in source
    assert client.get("/sw.js").data == response.data, "the same bundles make the same worker"


def test_worker_and_page_change_when_a_bundle_changes(app, client, monkeypatch):
    before = client.get("/sw.js").get_data(as_text=True)
    kept_before = json.loads(client.get("/offline-pages.json").data)["version"]
    assets = dict(app.extensions["peerm_assets"])
    new_css = "/static/gen/app.0123abcd.css"
    monkeypatch.setitem(app.extensions, "peerm_assets", {**assets, "css": new_css})
    after = client.get("/sw.js").get_data(as_text=True)
    assert before.splitlines()[0] != after.splitlines()[0], "the version stamp must change"
    assert new_css in after and assets["css"] not in after
    assert _bundles(client)[0] == new_css
    assert json.loads(client.get("/offline-pages.json").data)["version"] != kept_before


def test_offline_pages_list_directory_and_every_co_operative_when_fetched(app, client):
    response = client.get("/offline-pages.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    body = json.loads(response.data)
    assert {"/", "/initiatives", *DETAIL_PAGES} <= set(body["pages"])
    assert len(body["pages"]) == len(set(body["pages"]))
    # What is left of the configured budget once the worker has fetched the app's shell.
    assert 0 < body["budget"] < app.config["OFFLINE_BUDGET_BYTES"]
    assert body["version"]


def test_offline_page_links_every_co_operative_when_shown(fetch):
    page = fetch("/offline")
    assert page.status == 200
    assert {"/", "/initiatives", *DETAIL_PAGES} <= set(page.links)
    assert "Je hebt geen verbinding" in page.text
    assert "You are offline" in fetch("/offline", headers={"Accept-Language": "en"}).text
