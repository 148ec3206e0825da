"""What makes Peer'M an installable app that works offline: the manifest, the service worker,
the offline page and the pages the worker keeps on the phone."""
