"""What every page shares: rendering a page or its htmx partial, the security headers, ETags,
CSRF protection, error pages and the template helpers.

A page is one view and one template: a normal request gets the whole page, an htmx request
(that is neither boosted nor a history restore) gets the partial, and both say
`Vary: HX-Request` so that no cache mixes them up.
"""
import hashlib

import babel.dates
from flask import (current_app, g, get_flashed_messages, make_response, render_template,
                   request)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_htmx import HTMX
from flask_wtf.csrf import CSRFError, CSRFProtect

htmx = HTMX()
csrf = CSRFProtect()

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


def localized(obj, field):
    """The Dutch or English value of a field stored in both languages (`<field>_nl`, `_en`)."""
    value = getattr(obj, f"{field}_{get_locale().language}", None)
    return value or getattr(obj, f"{field}_nl")


def format_day(value, style="full"):
    """A date as people in the page's language write it ("zaterdag 20 december 2026")."""
    pattern = {"full": "EEEE d MMMM y", "short": "EEE d MMM"}[style]
    return babel.dates.format_date(value, pattern, locale=get_locale())


def format_month(value):
    """A month and year ("november 2026")."""
    return babel.dates.format_date(value, "LLLL y", locale=get_locale())


def format_clock(value):
    """A time of day, in 24-hour notation ("19:30")."""
    return babel.dates.format_time(value, "HH:mm", locale=get_locale())


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
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["HSTS"]:
        response.headers["Strict-Transport-Security"] = f"max-age={HSTS_MAX_AGE}"
    if g.get("no_store"):
        response.headers["Cache-Control"] = "no-store"
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-cache")
        # Pages differ by the language cookie and the browser's language.
        response.vary.update(["Accept-Language", "Cookie"])
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            # The page's own ETag; flask-compress marks compressed copies (":gzip").
            response.add_etag()
            response.make_conditional(request)
    return response


def _error_page(template, status):
    def handler(error):
        return render(template, status=status, error=error)
    return handler


def init_app(app):
    """Wire htmx, CSRF, the headers, the error pages and the template helpers into the app."""
    from flask_compress import Compress

    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    htmx.init_app(app)
    csrf.init_app(app)
    # Registered before our own after-request hook, so it runs after it (Flask runs them in
    # reverse): the ETag is computed on the page, then suffixed for each encoding.
    Compress(app)
    app.after_request(_add_headers)
    app.register_error_handler(403, _error_page("errors/403.html", 403))
    app.register_error_handler(404, _error_page("errors/404.html", 404))
    app.register_error_handler(405, _error_page("errors/error.html", 405))
    app.register_error_handler(CSRFError, _error_page("errors/csrf.html", 400))
    app.register_error_handler(500, _error_page("errors/error.html", 500))
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["clock"] = format_clock
    app.jinja_env.filters["month"] = format_month
    app.jinja_env.globals["layout"] = "base.html"

    @app.context_processor
    def _page_context():
        from .accounts.session import current_person
        from .i18n import LANGUAGES, current_language

        person = current_person()
        return {"languages": LANGUAGES, "lang": current_language(), "_": _,
                "current_person": person, "session_marker": session_marker(person),
                "get_flashed_messages": _flashes_once}
