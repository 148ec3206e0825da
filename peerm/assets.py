"""The CSS and JavaScript bundles, and how static files are served.

webassets joins and minifies the sources into `static/gen/`, with the content hash in the
file name; each bundle is also written compressed (`.br`, `.gz`) once, so that serving it
costs no CPU. Hashed files are cached by browsers for a year (`immutable`); other static
files for a day, revalidated by their ETag.
"""
import gzip
import hashlib
import mimetypes
from pathlib import Path

import brotli
from flask import Flask, current_app, request, send_from_directory
from webassets import Bundle, Environment

# The app's own scripts, before every part's (the parts hook into the outbox's).
APP_SCRIPTS = ("vendor/htmx/htmx.min.js", "js/store.js", "js/app.js", "js/outbox.js")
# Vendored files loaded by the service worker, compressed like the bundles.
WORKER_VENDOR = "vendor/workbox"
# A year: hashed file names never change content.
IMMUTABLE = "public, max-age=31536000, immutable"
# A day, then revalidate: icons and vendored files keep their names across versions.
SHORT_LIVED = "public, max-age=86400"


def bundles(parts) -> dict:
    """The bundles by name: the app's CSS followed by each part's own (`Part.styles`), and the
    app's scripts followed by each part's own (`Part.scripts`), in the parts' order."""
    scripts = [f"js/{script}" for part in parts for script in part.scripts]
    styles = [f"css/{style}" for part in parts for style in part.styles]
    return {
        "css": Bundle("css/app.css", *styles, filters="rcssmin", output="gen/app.%(version)s.css"),
        "js": Bundle(*APP_SCRIPTS, *scripts, filters="rjsmin", output="gen/app.%(version)s.js"),
    }


def build(app: Flask) -> dict:
    """Build the bundles (when their sources changed) and return their URLs by name."""
    static = Path(app.static_folder)
    (static / "gen" / ".cache").mkdir(parents=True, exist_ok=True)
    env = Environment(str(static), app.static_url_path)
    env.url_expire = False
    env.versions = "hash"
    env.manifest = f"json:{static / 'gen' / 'manifest.json'}"
    env.cache = str(static / "gen" / ".cache")
    env.auto_build = True
    urls = {}
    for name, bundle in bundles(app.extensions["peerm.parts"]).items():
        env.register(name, bundle)
        (url,) = bundle.urls()
        urls[name] = url
    for path in [*(static / "gen").glob("app.*.*"), *(static / WORKER_VENDOR).glob("*.js")]:
        if path.suffix in (".css", ".js"):
            _precompress(path)
    return urls


def _precompress(path: Path):
    """Write `.br` and `.gz` beside a file, once."""
    data = None
    for suffix, compress in ((".br", lambda d: brotli.compress(d, quality=11)),
                             (".gz", lambda d: gzip.compress(d, 9, mtime=0))):
        target = path.with_name(path.name + suffix)
        if target.exists() and target.stat().st_mtime >= path.stat().st_mtime:
            continue
        data = data if data is not None else path.read_bytes()
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(compress(data))
        tmp.replace(target)


def bundle_urls() -> dict:
    """The URLs of the built bundles, by name."""
    return current_app.extensions["peerm_assets"]


def version() -> str:
    """A short fingerprint of the bundles, which changes whenever one of them does."""
    joined = "".join(sorted(bundle_urls().values()))
    return hashlib.sha256(joined.encode()).hexdigest()[:12]


def shell_bytes(worker_length):
    """About what the worker downloads before it keeps any page: its own code (compressed, at a
    third of its length), Workbox and the bundles, as brotli sends them, and the icon."""
    static = Path(current_app.static_folder)
    files = [static / (url.removeprefix(current_app.static_url_path + "/") + ".br")
             for url in bundle_urls().values()]
    files += (static / WORKER_VENDOR).glob("*.js.br")
    files.append(static / "icons" / "icon-192.png")
    return worker_length // 3 + sum(f.stat().st_size for f in files if f.exists())


def send_static(filename):
    """Serve a static file, its precompressed copy where the browser takes one."""
    static = Path(current_app.static_folder)
    accepted = request.accept_encodings
    headers = {}
    sent = filename
    for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
        if accepted[encoding] > 0 and (static / (filename + suffix)).is_file():
            sent = filename + suffix
            headers["Content-Encoding"] = encoding
            break
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = send_from_directory(static, sent, mimetype=mimetype, max_age=0)
    response.headers.update(headers)
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = (
        IMMUTABLE if filename.startswith("gen/") else SHORT_LIVED
    )
    return response


def init_app(app):
    """Build the bundles, expose their URLs to templates and serve static files ourselves."""
    mimetypes.add_type("text/javascript", ".js")
    mimetypes.add_type("application/manifest+json", ".webmanifest")
    app.extensions["peerm_assets"] = build(app)
    app.jinja_env.globals["asset_url"] = lambda name: app.extensions["peerm_assets"][name]
    app.view_functions["static"] = send_static
