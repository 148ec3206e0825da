"""The installable app's routes."""
NOT_HTML = {
    "pwa.manifest": "application/manifest+json",
    "pwa.service_worker": "text/javascript",
    "pwa.offline_pages": "application/json",
    "pwa.favicon": "image/png",
}
