/* The worker's events. The rules for caching live above, in caching.js. */

self.addEventListener("install", (event) => {
  // The offline page is kept from the start, in the language of the person installing.
  event.waitUntil(caches.open(PAGES_CACHE).then((cache) => cache.add(self.PEERM.offlineUrl)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const expected = expectedCaches();
    const names = await caches.keys();
    await Promise.all(names.filter((name) => !expected.has(name)).map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

/* Forms marked data-offline: sent as usual, kept in the outbox when the network fails. */
self.addEventListener("fetch", (event) => {
  if (isOfflineForm(event.request)) event.respondWith(sendOrKeep(event.request));
});

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(flush());
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "flush") {
    event.waitUntil(flush().catch(() => tellPages()));
  } else if (message.type === "skip-waiting") {
    self.skipWaiting();
  } else if (message.type === "keep") {
    event.waitUntil(keepPagesOnce({force: Boolean(message.refresh), reset: Boolean(message.reset),
                                   also: typeof message.also === "string" ? message.also : null}).then((result) => {
      if (event.source) event.source.postMessage({type: "kept", ...result});
    }));
  }
});
