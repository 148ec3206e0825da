"""The gallery: screenshots of every page of Peer'M on a 360 × 740 phone, in Dutch and
English, as the people who see them, into docs/screens/ (with an index, docs/screens/README.md).

    .venv/bin/python tools/gallery.py [--out docs/screens] [--roles member,coordinator]

It serves the app with the demo data on a temporary database (nothing of yours is touched),
logs in as each demo person and follows the links from the home page, as a person taps: every
page reached is shown once, by the first person in ROLES who reaches it (each person's home is
shown for all of them). Chromium from CHROME_PATH or /usr/bin/chromium.
"""
import argparse
import os
import sys
import tempfile
import threading
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Who looks, in this order: each page is shown as the first of them who reaches it.
ROLES = [
    ("anonymous", None, "a visitor without an account"),
    ("member", "mohammed@peerm.example", "Mohammed, member of Lucas Community"),
    ("volunteer", "kees@peerm.example", "Kees, volunteer"),
    ("counter", "anouk@peerm.example", "Anouk, volunteer at Talent in Actie's tool counter"),
    ("coordinator", "fatima@peerm.example", "Fatima, coordinator of Lucas Community"),
    ("tool-coordinator", "jan@peerm.example", "Jan, coordinator of Talent in Actie"),
    ("administrator", "beheer@peerm.example", "Sanne, network administrator"),
]
LANGUAGES = ["nl", "en"]
PHONE = {"width": 360, "height": 740}
# How many addresses of one kind of page the walk opens (to meet the links only some carry).
PER_ENDPOINT = 3
# Pages never reached by tapping (sent as links, shown by the worker), shown as they are.
EXTRA = ["/offline"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def serve(folder):
    """The app with the demo data on a temporary SQLite file, served by waitress."""
    import waitress

    from peerm import create_app
    from peerm.cli import set_up_demo

    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'gallery.sqlite3'}",
                      "SECRET_KEY": "gallery-only", "PAGE_CACHE_SECONDS": 0})
    set_up_demo(app)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return app, server, f"http://127.0.0.1:{server.effective_port}"


def endpoint_of(adapter, path):
    from werkzeug.exceptions import HTTPException

    try:
        return adapter.match(urlsplit(path).path, method="GET")[0]
    except HTTPException:
        return None


def walk(page, base, adapter):
    """The pages this person reaches from `/` by following links: [(endpoint, path)]."""
    found, opened = [], {}
    queue, seen = deque(["/"]), {"/"}
    while queue:
        path = queue.popleft()
        endpoint = endpoint_of(adapter, path)
        if endpoint is None or endpoint in ("static", "accounts.logout") or path.endswith(".ics"):
            continue
        if opened.get(endpoint, 0) >= PER_ENDPOINT:
            continue
        opened[endpoint] = opened.get(endpoint, 0) + 1
        response = page.goto(base + path)
        if response is None or response.status != 200 or "text/html" not in (
                response.headers.get("content-type", "")):
            continue
        if opened[endpoint] == 1:
            found.append((endpoint, path))
        for href in page.eval_on_selector_all(
                "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"):
            href = urldefrag(href)[0]
            if href.startswith("/") and not href.startswith("//") and href not in seen \
                    and not href.startswith("/static/"):
                seen.add(href)
                queue.append(href)
    return found


def log_in(page, base, email):
    from peerm.accounts.demo import DEMO_PASSWORD

    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def shrink(path):
    """Fewer colours, same look: a screenshot of flat colours and text loses nothing."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(
            path, optimize=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screens"))
    parser.add_argument("--roles", default=",".join(name for name, _, _ in ROLES))
    args = parser.parse_args()
    out = Path(args.out)
    wanted = set(args.roles.split(","))
    from playwright.sync_api import sync_playwright

    shown = set()
    index = ["# Peer'M, page by page", "",
             "Made by `tools/gallery.py`: every page on a 360 × 740 phone, in Dutch and English, "
             "as the first of these people who reaches it by tapping from the home page.", ""]
    with tempfile.TemporaryDirectory(prefix="peerm-gallery-") as folder, sync_playwright() as p:
        app, server, base = serve(Path(folder))
        adapter = app.url_map.bind("localhost")
        browser = p.chromium.launch(executable_path=os.environ.get("CHROME_PATH",
                                                                   "/usr/bin/chromium"),
                                    args=CHROMIUM_ARGS)
        for name, email, who in ROLES:
            if name not in wanted:
                continue
            rows = []
            for lang in LANGUAGES:
                context = browser.new_context(viewport=PHONE, locale="nl-NL",
                                              service_workers="block")
                context.add_cookies([{"name": "lang", "value": lang, "url": base}])
                page = context.new_page()
                if email:
                    log_in(page, base, email)
                    # Logging in brings the person's own language: look in this one.
                    context.add_cookies([{"name": "lang", "value": lang, "url": base}])
                pages = walk(page, base, adapter)
                if name == "anonymous":
                    pages += [(endpoint_of(adapter, path), path) for path in EXTRA]
                for endpoint, path in pages:
                    if endpoint != "home.index" and (endpoint, lang) in shown:
                        continue
                    shown.add((endpoint, lang))
                    page.goto(base + path)
                    file = out / name / f"{endpoint.replace('.', '-')}-{lang}.png"
                    file.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(file))
                    shrink(file)
                    if lang == LANGUAGES[0]:
                        rows.append((endpoint, path))
                    print(f"{name:16} {lang} {path}", flush=True)
                context.close()
            if rows:
                index += [f"## As {who} (`{name}`)", ""]
                for endpoint, path in rows:
                    stem = endpoint.replace(".", "-")
                    index.append(f"- `{path}` — [nl]({name}/{stem}-nl.png) · "
                                 f"[en]({name}/{stem}-en.png)")
                index.append("")
        browser.close()
        server.close()
    (out / "README.md").write_text("\n".join(index))
    print(f"{len(shown)} pages in {out}")


if __name__ == "__main__":
    main()
