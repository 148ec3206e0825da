"""Peer'M's entry point: builds the app, and serves it with waitress when run directly."""
import os

from peerm import create_app

app = create_app()

if __name__ == "__main__":
    from waitress import serve

    proxy = os.environ.get("PEERM_TRUSTED_PROXY")
    behind_proxy = {
        "trusted_proxy": proxy,
        "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto x-forwarded-host",
        "clear_untrusted_proxy_headers": True,
    } if proxy else {}
    serve(
        app,
        **behind_proxy,
        host=os.environ.get("PEERM_HOST", "127.0.0.1"),
        port=int(os.environ.get("PEERM_PORT", "8080")),
        threads=int(os.environ.get("PEERM_THREADS", "8")),
        max_request_body_size=2 * 1024 * 1024,
    )
