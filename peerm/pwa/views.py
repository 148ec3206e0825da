"""What makes Peer'M an installable app that works offline: the web app manifest, the service
worker at `/sw.js`, the offline page, and the list of pages the worker keeps on the phone.

The worker is the files of `service_worker/` joined in `WORKER_FILES` order behind a small
configuration line, stamped with the bundles' version, so that every new bundle makes a new
worker and the browser offers the update.
"""
import hashlib
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import gettext as _

from .. import assets
from ..i18n import current_language
from ..initiatives.models import Initiative
from ..outbox import protocol
from ..web import cached_page, current_person, parts, render

ROOT = Path(__file__).resolve().parents[2]
# Joined in this order: the outbox store (shared with the page), the caching rules, the
# outbox, then the event wiring.
WORKER_FILES = ["static/js/store.js", "service_worker/caching.js", "service_worker/outbox.js",
                "service_worker/sw.js"]
# The app's colours, as the manifest and the browser's toolbar show them.
THEME_COLOUR = "#0b6e69"
BACKGROUND_COLOUR = "#f7f5f0"

bp = Blueprint("pwa", __name__)


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest, in the page's language."""
    icons = [
        {"src": url_for("static", filename="icons/icon-192.png"), "sizes": "192x192",
         "type": "image/png", "purpose": "any"},
        {"src": url_for("static", filename="icons/icon-512.png"), "sizes": "512x512",
         "type": "image/png", "purpose": "any"},
        {"src": url_for("static", filename="icons/maskable-512.png"), "sizes": "512x512",
         "type": "image/png", "purpose": "maskable"},
    ]
    body = {
        "id": "/",
        "name": "Peer'M — " + _("co-operatives against poverty"),
        "short_name": "Peer'M",
        "description": _("The co-operatives of Initiatief.nu: what they do, what they need "
                         "and what is coming up."),
        "lang": current_language(),
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    response = Response(json.dumps(body, ensure_ascii=False),
                        mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/sw.js")
def service_worker():
    """The service worker, at the root so that it controls every page."""
    source = worker_source()
    response = Response(source, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/offline")
@cached_page
def offline():
    """The page the worker shows for a page that is not kept on the phone."""
    initiatives = Initiative.listed()
    return render("pwa/offline.html", initiatives=initiatives)


@bp.get("/offline-pages.json")
def offline_pages():
    """The pages the worker fetches in the background and keeps, so they open without signal."""
    person = current_person()
    ranked = [(rank, order, path) for order, part in enumerate(parts()) if part.kept_pages
              for rank, path in part.kept_pages(person)]
    # Most needed first, within the budget: every part's own page, then its items, then what
    # this person needs at a door or a counter.
    pages = [path for _rank, _order, path in sorted(ranked, key=lambda row: row[:2])]
    # The budget covers everything the worker fetches in the background: the shell it has
    # fetched already (worker, Workbox, bundles) is taken off first.
    budget = current_app.config["OFFLINE_BUDGET_BYTES"] - assets.shell_bytes(
        len(worker_source()))
    body = {"version": assets.version(), "budget": max(0, budget), "pages": pages}
    response = Response(json.dumps(body), mimetype="application/json")
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Cookie")
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/favicon.ico")
def favicon():
    """The small icon browsers ask for by themselves."""
    return assets.send_static("icons/favicon-32.png")


def worker_source() -> str:
    """The worker's code: its configuration, then the files of `service_worker/`."""
    urls = assets.bundle_urls()
    shell = [urls["css"], urls["js"], url_for("static", filename="icons/icon-192.png"),
             url_for("static", filename="icons/favicon.svg")]
    code = "\n".join((ROOT / name).read_text() for name in WORKER_FILES)
    version = hashlib.sha256((assets.version() + code).encode()).hexdigest()[:12]
    config = {
        "version": version,
        # Hashed file names are their own revision; the others change with the version.
        "precache": [{"url": url, "revision": None if "/gen/" in url else version}
                     for url in shell],
        "offlineUrl": url_for("pwa.offline"),
        "keepUrl": url_for("pwa.offline_pages"),
        "savedUrl": url_for("outbox.saved"),
        "syncUrl": url_for("sync.sync"),
        # The server's limits, which the worker's batches keep to.
        "syncMaxActions": protocol.MAX_ACTIONS,
        "syncMaxBytes": protocol.MAX_BATCH_BYTES,
        "actionMaxBytes": protocol.MAX_ACTION_BYTES,
        "workboxPath": url_for("static", filename=assets.WORKER_VENDOR + "/"),
    }
    return (f"/* Peer'M service worker {version} */\n"
            f"self.PEERM = {json.dumps(config)};\n{code}")
