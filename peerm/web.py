"""What every page shares: rendering a page or its htmx partial, the security headers, ETags,
CSRF protection, error pages and the template helpers.

A page is one view and one template: a normal request gets the whole page, an htmx request
(that is neither boosted nor a history restore) gets the partial, and both say
`Vary: HX-Request` so that no cache mixes them up.

Form tokens: every session has one random token, the same on every page, checked on every
form post (or the `X-CSRFToken` header htmx sends). It does not change with time, because
pages kept on a phone carry it for days, and because a page that did not change must keep
its ETag so that a revalidation costs a 304.
"""
import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
import uuid
from functools import wraps
from urllib.parse import urlsplit

import babel.dates
from flask import (
    abort,
    current_app,
    g,
    get_flashed_messages,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, get_translations
from flask_htmx import HTMX
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from .accounts.session import current_person
from .core import clock
from .core.db import db
from .permissions import can

htmx = HTMX()

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRFToken"
# Stands in for the form token in a cached page; replaced by the visitor's own token.
CSRF_PLACEHOLDER = "__peerm_form_token__"
# Stands in for a fresh action id in a cached page: each form a visitor gets has its own.
ACTION_ID_PLACEHOLDER = "__peerm_action_id__"
# Endpoints (and blueprints) that check their requests another way (JSON and origin).
CSRF_EXEMPT = set()


class CSRFError(BadRequest):
    """A form posted without this session's token (too old, or from another site)."""

# Sent with every response. The policy allows nothing but this site's own files.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "img-src 'self' data: blob:",
    "manifest-src 'self'",
    "worker-src 'self'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), geolocation=(), microphone=(), payment=()",
}
# Answers compressed on the fly; the static bundles are compressed once, when built.
COMPRESSED_TYPES = [
    "text/html", "text/css", "text/plain", "text/calendar", "application/json",
    "application/manifest+json", "text/javascript", "application/javascript", "image/svg+xml",
]
# A year, the HSTS lifetime once the site is served over TLS.
HSTS_MAX_AGE = 365 * 24 * 3600


def wants_partial():
    """Whether this request is an htmx swap that wants only the changing part of the page."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template, partial=None, status=200, **context):
    """Render a page, or for an htmx swap its partial (or else its content block alone)."""
    if wants_partial():
        if partial:
            body = render_template(partial, **context)
        else:
            body = render_template(template, layout="_partial.html", **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def logged_in():
    """The current person; anyone else is sent to log in first, and comes back here after."""
    person = current_person()
    if person is None:
        abort(redirect(url_for("accounts.login", next=request.full_path.rstrip("?")), 303))
    return person


def require(action, initiative):
    """Stop the request unless the current person may do this: log in first, or 403."""
    person = logged_in()
    if not can(person, action, initiative):
        abort(403)
    return person


def one_or_404(model, *conditions):
    """The one row that meets the conditions, or the 404 page."""
    row = model.get_or_none(*conditions)
    if row is None:
        abort(404)
    return row


def parts():
    """The parts of the running app, in their order."""
    return current_app.extensions["peerm.parts"]


# The bottom bar holds at most this many places (icon and label side by side on a 320 px
# screen); the parts' further bar items go to the menu.
BAR_PLACES = 5


def navigation(person):
    """The places of the navigation this person sees, from every part, each list in order:
    `bar` (the bottom bar, at most BAR_PLACES), `menu` (the menu, with what did not fit in
    the bar) and `counted` (the items with a count, shown in the top bar while it is not
    zero)."""
    places = {"bar": [], "menu": [], "counted": []}
    items = [item for part in parts() for item in part.nav
             if item.shown is None or item.shown(person)]
    for item in sorted(items, key=lambda item: item.order):
        place = item.place if item.place in ("bar", "menu") else "menu"
        if place == "bar" and len(places["bar"]) >= BAR_PLACES:
            place = "menu"
        places[place].append(item)
        if item.badge:
            places["counted"].append(item)
    return places


def is_current(item):
    """Whether a navigation item stands for the page being shown."""
    if item.active:
        return request.blueprint == item.active
    return request.endpoint == item.endpoint


def page_config():
    """What the parts' scripts need on every page, by name."""
    config = {}
    for part in parts():
        config.update(part.page_config)
    return config


def lang_attr(text):
    """` lang="en"` for text written in another language than the page (else nothing), so
    that a screen reader reads it in the right voice."""
    from markupsafe import Markup

    written_in = getattr(text, "lang", None)
    if written_in and written_in != get_locale().language:
        return Markup(f' lang="{written_in}"')
    return Markup("")


def dutch(value):
    """A stored moment (UTC) as Dutch wall-clock time; a calendar day stays as it is."""
    return clock.local(value) if isinstance(value, dt.datetime) else value


def format_day(value, style="full"):
    """A day as people in the page's language write it ("zaterdag 20 december 2026"); a
    moment's day in the Netherlands. The short form ("za 20 dec") names the year when it is
    not this year's, so that a list running into the next year is read right."""
    day = dutch(value)
    pattern = {"full": "EEEE d MMMM y", "short": "EEE d MMM"}[style]
    if style == "short" and day.year != clock.today().year:
        pattern += " y"
    return babel.dates.format_date(day, pattern, locale=get_locale())


def format_month(value):
    """A month and year ("november 2026")."""
    return babel.dates.format_date(dutch(value), "LLLL y", locale=get_locale())


def format_clock(value):
    """A moment's Dutch time of day, in 24-hour notation ("19:30")."""
    return babel.dates.format_time(dutch(value), "HH:mm", locale=get_locale())


def machine_time(value):
    """A stored moment for a `<time datetime>` attribute: ISO 8601 in UTC."""
    return value.isoformat(timespec="minutes") + "Z"


def csrf_token():
    """This session's form token, made on first use."""
    if g.get("csrf_placeholder"):
        return CSRF_PLACEHOLDER
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def new_action_id():
    """A fresh id for the action an offline-capable form stands for (the phone makes new ones
    too, after each submission)."""
    return ACTION_ID_PLACEHOLDER if g.get("csrf_placeholder") else str(uuid.uuid4())


def local_path(target):
    """A path on this site to go back to; anything else becomes the home page."""
    if (not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(ch) < 0x20 or ord(ch) == 0x7f for ch in target)):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _refuse_nul():
    """A NUL byte is in no real address or form; PostgreSQL would refuse it with an error."""
    if "\x00" in request.path or b"\x00" in request.query_string or (
            request.method == "POST" and request.mimetype != "application/json"
            and any("\x00" in value for value in request.form.values())):
        abort(404 if request.method == "GET" else 400)


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` up to what every database's integer holds: a larger id is simply not found."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _check_csrf():
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return
    if request.endpoint in CSRF_EXEMPT or request.blueprint in CSRF_EXEMPT:
        return
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    expected = session.get("csrf") or ""
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CSRFError()
    origin = request.headers.get("Origin")
    if origin and origin != "null" and origin != request.host_url.rstrip("/"):
        raise CSRFError()


def translator():
    """A fast `_` for templates: the request's catalogue, looked up once."""
    translations = get_translations()

    def _(string, **variables):
        text = translations.ugettext(string)
        return text % variables if variables else text
    return _


# --- the cache of pages for visitors who are not logged in ---------------------------------
# Pages look the same for every anonymous visitor in one language, but for the form token:
# they are rendered once with a placeholder, kept for a few seconds, and served with the
# visitor's own token put in. A write in this process empties the cache at once; other
# processes catch up within PAGE_CACHE_SECONDS.
PAGE_CACHE_SECONDS = 10
PAGE_CACHE_SIZE = 500
_pages = {}
_pages_lock = threading.Lock()


def forget_cached_pages():
    with _pages_lock:
        _pages.clear()


def cached_page(view):
    """Serve the view from the page cache when the visitor is anonymous and nothing is flashed."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if (request.method != "GET" or current_person() is not None or "_flashes" in session
                or current_app.config.get("PAGE_CACHE_SECONDS", PAGE_CACHE_SECONDS) <= 0):
            return view(*args, **kwargs)
        key = (id(current_app), request.full_path, get_locale().language, wants_partial(),
               bool(htmx) and htmx.boosted)
        now = time.monotonic()
        hit = _pages.get(key)
        if hit is None or hit[0] < now:
            g.csrf_placeholder = True
            response = view(*args, **kwargs)
            g.csrf_placeholder = False
            if response.status_code != 200 or g.get("no_store") or response.direct_passthrough:
                return response
            hit = (now + current_app.config.get("PAGE_CACHE_SECONDS", PAGE_CACHE_SECONDS),
                   response.get_data(as_text=True), response.mimetype,
                   response.headers.get("Cache-Control"), list(response.vary))
            with _pages_lock:
                if len(_pages) >= PAGE_CACHE_SIZE:
                    _pages.clear()
                _pages[key] = hit
        body = hit[1]
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, csrf_token())
        if ACTION_ID_PLACEHOLDER in body:
            parts = body.split(ACTION_ID_PLACEHOLDER)
            body = "".join(part + str(uuid.uuid4()) for part in parts[:-1]) + parts[-1]
        response = make_response(body, 200)
        response.mimetype = hit[2]
        if hit[3]:
            response.headers["Cache-Control"] = hit[3]
        response.vary.update(hit[4])
        return response
    return wrapper


def _forget_after_writes(response):
    if request.method not in ("GET", "HEAD") and response.status_code < 400:
        forget_cached_pages()
    return response


def session_marker(person):
    """A short token that changes with the language and with who is logged in.

    The page carries it; when it changes, the worker forgets the pages it kept for the
    previous person or language and keeps them anew.
    """
    who = f"{person.id}:{person.session_epoch}" if person else "anonymous"
    seed = f"{get_locale().language}|{who}|{current_app.secret_key}"
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def _flashes_once(*args, **kwargs):
    """Flask's flashed messages; a page showing one is never kept, or it would show it again."""
    messages = get_flashed_messages(*args, **kwargs)
    if messages:
        g.no_store = True
    return messages


def _add_headers(response):
    # Looking up a header that is missing costs an exception in werkzeug: read the names once.
    present = {name.lower() for name, _value in response.headers}
    for name, value in SECURITY_HEADERS.items():
        if name.lower() not in present:
            response.headers[name] = value
    if current_app.config["HSTS"]:
        response.headers["Strict-Transport-Security"] = f"max-age={HSTS_MAX_AGE}"
    if g.get("no_store"):
        response.headers["Cache-Control"] = "no-store"
        present.add("cache-control")
    if response.mimetype == "text/html":
        if "cache-control" not in present:
            response.headers["Cache-Control"] = "no-cache"
        # Pages differ by the language cookie and the browser's language.
        response.vary.update(["Accept-Language", "Cookie"])
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            # The page's own ETag; flask-compress marks compressed copies (":gzip").
            response.add_etag()
            response.make_conditional(request)
    return response


def _connect():
    db.connect(reuse_if_open=True)


def _close(exc):
    if not db.is_closed():
        db.close()


def _error_page(template, status):
    def handler(error):
        response = render(template, status=status, error=error)
        if getattr(error, "valid_methods", None):
            # HTTP asks every 405 to name the methods that do work.
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response
    return handler


def init_app(app):
    """Wire htmx, CSRF, the headers, the error pages and the template helpers into the app."""
    from flask_compress import Compress

    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    htmx.init_app(app)
    app.before_request(_connect)
    app.teardown_request(_close)
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(_refuse_nul)
    app.before_request(_check_csrf)
    app.after_request(_forget_after_writes)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["new_action_id"] = new_action_id
    # Registered before our own after-request hook, so it runs after it (Flask runs them in
    # reverse): the ETag is computed on the page, then suffixed for each encoding.
    Compress(app)
    app.after_request(_add_headers)
    app.register_error_handler(400, _error_page("errors/error.html", 400))
    app.register_error_handler(403, _error_page("errors/403.html", 403))
    app.register_error_handler(404, _error_page("errors/404.html", 404))
    app.register_error_handler(405, _error_page("errors/error.html", 405))
    app.register_error_handler(CSRFError, _error_page("errors/csrf.html", 400))
    app.register_error_handler(500, _error_page("errors/error.html", 500))
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["clock"] = format_clock
    app.jinja_env.filters["month"] = format_month
    app.jinja_env.filters["dutch"] = dutch
    app.jinja_env.filters["machine_time"] = machine_time
    app.jinja_env.filters["lang_attr"] = lang_attr
    app.jinja_env.globals["is_current"] = is_current
    app.jinja_env.globals["layout"] = "base.html"

    @app.context_processor
    def _page_context():
        from .i18n import LANGUAGES, current_language

        person = current_person()
        return {"languages": LANGUAGES, "lang": current_language(), "_": translator(),
                "current_person": person, "session_marker": session_marker(person),
                "get_flashed_messages": _flashes_once, "nav": navigation(person),
                "page_config": page_config()}
