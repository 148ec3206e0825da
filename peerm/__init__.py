"""Peer'M: the offline-first app of the Initiatief.nu network of co-operatives against poverty.

`create_app` builds the Flask app: settings come from the defaults below, then the instance
folder's `config.py`, then `PEERM_*` environment variables (and `DATABASE_URL`), then the
mapping a test passes in. Every extension is set up through its own `init_app`.
"""
import os
import secrets
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Build the app with its settings, extensions and blueprints."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_mapping(
        DATABASE_URL=f"sqlite:///{ROOT / 'instance' / 'peerm.sqlite3'}",
        # Pages kept on the phone carry the form token; it must outlive a day offline.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=False,
        PERMANENT_SESSION_LIFETIME=30 * 24 * 3600,
        # The session cookie is sent only when it changes: a background request that was under
        # way at logout must not bring the old session back.
        SESSION_REFRESH_EACH_REQUEST=False,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        HSTS=False,
        # What the worker may fetch in the background to keep the network's data offline.
        OFFLINE_BUDGET_BYTES=154 * 1024,
    )
    app.config.from_pyfile("config.py", silent=True)
    if "DATABASE_URL" in os.environ:
        app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    app.config.from_prefixed_env("PEERM")
    if config:
        app.config.update(config)
    # Behind TLS the session cookie is `__Host-` bound: HTTPS only, this host only, path /.
    app.config["SESSION_COOKIE_NAME"] = (
        "__Host-peerm" if app.config["SESSION_COOKIE_SECURE"] else "peerm"
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    from . import assets, cli, i18n, parts, web
    from .core import db
    from .outbox import protocol

    db.bind(app.config["DATABASE_URL"])
    app.extensions["peerm.parts"] = loaded = parts.load()
    i18n.init_app(app)
    web.init_app(app)
    assets.init_app(app)
    cli.init_app(app)
    for part in loaded:
        protocol.register(part.actions)
        web.CSRF_EXEMPT.update(part.csrf_exempt)
        for blueprint in part.blueprints:
            app.register_blueprint(blueprint)
    return app


def _instance_secret(instance: Path) -> str:
    """Read the instance's secret key, making one on first start so sessions survive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
