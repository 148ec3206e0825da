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
  if (event.tag === SYNC_TAG) event.waitUntil(working(flush()));
});

/* A page's request: flush the outbox or keep the pages. The page that asked is answered when
   the work is done ("flushed", "kept"), with the page's `ticket` if it gave one. */
self.addEventListener("message", (event) => {
  const message = event.data || {};
  const answer = (reply) => {
    if (event.source) event.source.postMessage({...reply, ticket: message.ticket});
  };
  if (message.type === "flush") {
    // A failed flush has told the pages already; everything it could not send still waits.
    event.waitUntil(working(flush().catch(() => ({sent: 0}))).then((result) =>
      answer({type: "flushed", ...result})));
  } else if (message.type === "skip-waiting") {
    self.skipWaiting();
  } else if (message.type === "keep") {
    event.waitUntil(working(keepPagesOnce({
      force: Boolean(message.refresh), reset: Boolean(message.reset),
      also: typeof message.also === "string" ? message.also : null,
    })).then((result) => answer({type: "kept", ...result})));
  }
});

/* How much work is under way (flushes and rounds of keeping, asked or not), told to every
   page at each change: tests and pages can wait until it is done instead of guessing. */
let busy = 0;
function working(promise) {
  busy += 1;
  announceWork();
  return promise.finally(() => {
    busy -= 1;
    announceWork();
  });
}

async function announceWork() {
  const pages = await self.clients.matchAll({type: "window", includeUncontrolled: true});
  for (const page of pages) page.postMessage({type: "work", busy});
}
