"""Peer'M's entry point: builds the app, and serves it with waitress when run directly."""
import os

from peerm import create_app

app = create_app()

def serve(app, host, port, threads, proxy=None):
    """Serve the app with waitress, and say where once it listens (waitress says nothing)."""
    from waitress import create_server

    behind_proxy = {
        "trusted_proxy": proxy,
        "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto x-forwarded-host",
        "clear_untrusted_proxy_headers": True,
    } if proxy else {}
    server = create_server(app, **behind_proxy, host=host, port=port, threads=threads,
                           max_request_body_size=2 * 1024 * 1024)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    print(f"Peer'M is running at http://{shown}:{server.effective_port}/ "
          f"(process {os.getpid()}; Ctrl+C stops it)", flush=True)
    if host in ("0.0.0.0", "::"):
        print("It listens on every network of this computer. A phone needs HTTPS or localhost "
              "for the offline part: see \"Try it on a phone\" in README.md.", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        print("Peer'M stopped.", flush=True)


if __name__ == "__main__":
    serve(app, host=os.environ.get("PEERM_HOST", "127.0.0.1"),
          port=int(os.environ.get("PEERM_PORT", "8080")),
          threads=int(os.environ.get("PEERM_THREADS", "8")),
          proxy=os.environ.get("PEERM_TRUSTED_PROXY"))
