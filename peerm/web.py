"""What every page shares: rendering a page or its htmx partial, the security headers, ETags,
CSRF protection, error pages and the template helpers.

A page is one view and one template: a normal request gets the whole page, an htmx request
(that is neither boosted nor a history restore) gets the partial, and both say
`Vary: HX-Request` so that no cache mixes them up.

Cross-site requests: every post must come from this site. The browser says where a request
comes from (`Sec-Fetch-Site`, else `Origin`); a post that another site made is refused, as
Go's `http.CrossOriginProtection` does (a request with neither header comes from no browser,
so no visitor's browser was made to send it). A logged-in person's session also has one
random form token, the same on every page, checked on every form post (or the `X-CSRFToken`
header htmx sends): it does not change with time, because pages kept on a phone carry it for
days, and because a page that did not change must keep its ETag so that a revalidation costs
a 304. Visitors who are not logged in get no token and no session cookie, so their pages are
the same bytes for everybody: kept compressed for a few seconds and sent as they are.
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
from werkzeug.datastructures import LanguageAccept
from werkzeug.exceptions import BadRequest
from werkzeug.http import parse_accept_header, parse_cookie, parse_etags, unquote_etag
from werkzeug.routing import IntegerConverter

from .accounts.session import current_person
from .core import clock
from .core.db import db
from .i18n import DEFAULT_LANGUAGE, LANGUAGE_COOKIE, LANGUAGES
from .permissions import can

htmx = HTMX()

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRFToken"
# `Sec-Fetch-Site` values of a request this site's own page made (or the person typed).
SAME_SITE_FETCH = ("same-origin", "none")
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
    """The form token of a logged-in person's session, made on first use; nothing for a
    visitor who is not logged in (their posts are checked by where they come from)."""
    if "sid" not in session:
        return ""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def new_action_id():
    """A fresh id for the action an offline-capable form stands for, on a logged-in person's
    page. A visitor's page is the same for everybody, so its forms carry none: the page's
    script makes one before it posts (and after each submission), the worker when it keeps
    the form, and the server when a page without JavaScript posts."""
    return str(uuid.uuid4()) if "sid" in session else ""


def query_filters(**known):
    """A list page's filters from the query: each value that is among the `known` ones (any
    container), else "" — with the values nobody knows, to say so on the page."""
    chosen, unknown = {}, []
    for name, values in known.items():
        value = request.args.get(name, "").strip()
        if value and value not in values:
            unknown.append(value)
            value = ""
        chosen[name] = value
    return chosen, unknown


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


def cross_site():
    """Whether this request was made by a page of another site (fetch metadata, else the
    origin). A request that names neither comes from no browser and is not refused here."""
    fetched_from = request.headers.get("Sec-Fetch-Site")
    if fetched_from is not None:
        return fetched_from not in SAME_SITE_FETCH
    origin = request.headers.get("Origin")
    return origin is not None and origin != request.host_url.rstrip("/")


def _check_csrf():
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return
    if request.endpoint in CSRF_EXEMPT or request.blueprint in CSRF_EXEMPT:
        return
    if cross_site():
        raise CSRFError()
    if "sid" not in session:
        return
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    expected = session.get("csrf") or ""
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CSRFError()


def translator():
    """A fast `_` for templates: the request's catalogue, looked up once."""
    translations = get_translations()

    def _(string, **variables):
        text = translations.ugettext(string)
        return text % variables if variables else text
    return _


# --- the cache of pages for visitors who are not logged in ---------------------------------
# A visitor who is not logged in gets the same page as every other one in their language:
# the answer is kept as it was sent (compressed, with its headers and ETag) for a few
# seconds, and a request without a session cookie is answered from it by a WSGI layer in
# front of the app — no request context, session, database, template or compression. A write
# in this process empties the cache at once; other processes catch up within
# PAGE_CACHE_SECONDS.
PAGE_CACHE_SECONDS = 10
PAGE_CACHE_SIZE = 500
# Headers that a 304 leaves out (it has no body).
_BODY_HEADERS = {"content-type", "content-encoding", "content-length"}


class PageCache:
    """Finished answers by request, each until its time is up."""

    def __init__(self, seconds, session_cookie):
        self.seconds = seconds
        self.session_cookie = session_cookie
        self.answers = {}
        self.lock = threading.Lock()
        # (Cookie, Accept-Language) → (language, has a session cookie): a few distinct values.
        self._visitors = {}

    def _visitor(self, environ):
        seen = (environ.get("HTTP_COOKIE", ""), environ.get("HTTP_ACCEPT_LANGUAGE", ""))
        known = self._visitors.get(seen)
        if known is None:
            cookies = parse_cookie(seen[0])
            language = cookies.get(LANGUAGE_COOKIE)
            if language not in LANGUAGES:
                language = (parse_accept_header(seen[1], LanguageAccept)
                            .best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE)
            known = (language, self.session_cookie in cookies)
            if len(self._visitors) >= PAGE_CACHE_SIZE:
                self._visitors.clear()
            self._visitors[seen] = known
        return known

    def key(self, environ):
        """What the answer depends on: the address, the language, htmx's way of asking and
        the encodings the browser takes."""
        return (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
                self._visitor(environ)[0], environ.get("HTTP_HX_REQUEST"),
                environ.get("HTTP_HX_BOOSTED"), environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST"),
                environ.get("HTTP_ACCEPT_ENCODING", ""))

    def answer(self, environ):
        """The kept answer to this request, when it may have one: (status, headers, body)."""
        if environ.get("REQUEST_METHOD") != "GET" or self._visitor(environ)[1]:
            return None
        hit = self.answers.get(self.key(environ))
        if hit is None or hit[0] < time.monotonic():
            return None
        _expires, status, headers, body, etag = hit
        asked = environ.get("HTTP_IF_NONE_MATCH")
        if etag and asked and parse_etags(asked).contains_weak(etag):
            return "304 Not Modified", [h for h in headers if h[0].lower() not in _BODY_HEADERS], b""
        return status, headers, body

    def keep(self, key, response):
        body = response.get_data()
        headers = [(name, value) for name, value in response.headers
                   if name.lower() not in ("set-cookie", "content-length")]
        headers.append(("Content-Length", str(len(body))))
        etag = response.headers.get("ETag")
        hit = (time.monotonic() + self.seconds, response.status, headers, body,
               unquote_etag(etag)[0] if etag else None)
        with self.lock:
            if len(self.answers) >= PAGE_CACHE_SIZE:
                self.answers.clear()
            self.answers[key] = hit

    def clear(self):
        with self.lock:
            self.answers.clear()


class KeptPages:
    """The WSGI layer that answers from the page cache before the app is asked."""

    def __init__(self, wsgi_app, cache):
        self.wsgi_app = wsgi_app
        self.cache = cache

    def __call__(self, environ, start_response):
        kept = self.cache.answer(environ)
        if kept is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = kept
        start_response(status, headers)
        return [body]


def _page_cache():
    return current_app.extensions.get("peerm.page_cache")


def forget_cached_pages():
    cache = _page_cache()
    if cache is not None:
        cache.clear()


def cached_page(view):
    """Keep the view's answer for visitors who are not logged in (and have nothing flashed)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        cache = _page_cache()
        if (cache is not None and request.method == "GET" and "_flashes" not in session
                and current_person() is None):
            g.page_cache_key = cache.key(request.environ)
        return view(*args, **kwargs)
    return wrapper


def _keep_in_cache(response):
    """Last of all: keep a finished anonymous page as it is sent."""
    key = g.get("page_cache_key")
    if (key is not None and response.status_code == 200 and not g.get("no_store")
            and not response.direct_passthrough and not response.is_streamed
            and not session.modified):
        _page_cache().keep(key, response)
    return response


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
    # Pages are compressed as they are sent: brotli's quality 4 costs a fraction of its
    # highest (which the bundles get, once, when built) for a few per cent more bytes.
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    seconds = app.config.get("PAGE_CACHE_SECONDS", PAGE_CACHE_SECONDS)
    if seconds > 0:
        cache = app.extensions["peerm.page_cache"] = PageCache(
            seconds, app.config["SESSION_COOKIE_NAME"])
        app.wsgi_app = KeptPages(app.wsgi_app, cache)
    htmx.init_app(app)
    app.before_request(_connect)
    app.teardown_request(_close)
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(_refuse_nul)
    app.before_request(_check_csrf)
    app.after_request(_keep_in_cache)
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
