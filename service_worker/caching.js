/* How Peer'M keeps the app and the network's data on the phone.
 *
 * - The app shell (the hashed CSS and JS bundles, the icon) is precached by Workbox and
 *   versioned by the bundles' hashes.
 * - Pages are network-first: a fresh copy when there is signal, the kept copy when there is
 *   none, and the offline page when the phone has never kept that page.
 * - After the first visit the worker fetches, one by one and within a byte budget, the pages
 *   the server lists at `keepUrl` (the directory and every co-operative), so that a page never
 *   opened before still opens offline. It refreshes them when the app is opened online.
 */
importScripts(self.PEERM.workboxPath + "workbox-sw.js");
workbox.setConfig({modulePathPrefix: self.PEERM.workboxPath, debug: false});

const PAGES_CACHE = "peerm-pages";
// Documents the person chose to keep ("keep on this phone", static/js/library.js).
const LIBRARY_CACHE = "peerm-library";
const META_URL = "/__peerm/kept";
// How often, at most, the kept pages are checked for a newer copy (15 minutes).
const REFRESH_AFTER_MS = 15 * 60 * 1000;
// How long a page may take before the kept copy is shown instead.
const NETWORK_TIMEOUT_SECONDS = 6;
const MATCH = {ignoreVary: true};

workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute(self.PEERM.precache);

/* Pages: network first, then the kept copy, then the offline page. */
const pageStrategy = new workbox.strategies.NetworkFirst({
  cacheName: PAGES_CACHE,
  networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
  matchOptions: MATCH,
  plugins: [{
    // Keep only whole, successful pages: never an error page or a redirect.
    cacheWillUpdate: async ({response}) => (isKeepable(response) ? response : null),
  }],
});

// Lists that the page filters on the phone: a filtered address not kept as such opens the kept
// whole list (static/js/events.js then filters it by the address).
const FILTERED_ON_PHONE = ["/events"];

workbox.routing.registerRoute(({request}) => request.mode === "navigate", async (options) => {
  try {
    const response = await pageStrategy.handle(options);
    if (response) return response;
  } catch (error) {
    // No network and no kept copy: a document kept on request, else the offline page.
  }
  const chosen = await (await caches.open(LIBRARY_CACHE)).match(options.request.url, MATCH);
  if (chosen) return chosen;
  if (options.url.search && FILTERED_ON_PHONE.includes(options.url.pathname)) {
    const whole = await caches.match(options.url.pathname, MATCH);
    if (whole) return whole;
  }
  const offline = await caches.match(self.PEERM.offlineUrl, MATCH);
  return offline || Response.error();
});

/* The library's script and the photos of documents kept on request: the network, else the
   kept copy. */
workbox.routing.registerRoute(
  ({url, request}) => url.origin === self.location.origin && url.pathname.startsWith("/library/") &&
    (request.destination === "image" || request.destination === "script"),
  async ({request}) => {
    try {
      return await fetch(request);
    } catch (error) {
      const kept = await (await caches.open(LIBRARY_CACHE)).match(request.url, MATCH);
      return kept || Response.error();
    }
  },
);

/* A page kept from an older version may ask for an older bundle: give it the current one. */
workbox.routing.registerRoute(
  ({url}) => url.origin === self.location.origin && url.pathname.startsWith("/static/gen/"),
  async ({request, url}) => {
    try {
      return await fetch(request);
    } catch (error) {
      const kind = url.pathname.endsWith(".css") ? ".css" : ".js";
      const current = self.PEERM.precache.find((entry) => entry.url.endsWith(kind));
      const cached = current && await workbox.precaching.matchPrecache(current.url);
      return cached || Response.error();
    }
  },
);

/* Keep only whole, successful pages that the server lets us keep: never an error page, a
   redirect, or a page marked no-store (one that shows a one-time message). */
function isKeepable(response) {
  return Boolean(response) && response.status === 200 && !response.redirected &&
    !(response.headers.get("Cache-Control") || "").includes("no-store");
}

/* The kept pages. With `reset` (another person or language) every page is fetched anew, and
   pages the list no longer holds are dropped only after that, so that losing the signal in
   the middle never leaves the phone with nothing. The server's budget already leaves out the
   shell; each answer counts its body and about 800 bytes of headers. */
const HEADER_BYTES = 800;

async function keepPages({force = false, reset = false, also = null} = {}) {
  const cache = await caches.open(PAGES_CACHE);
  const meta = await readMeta(cache);
  const stale = force || reset || meta.version !== self.PEERM.version ||
    Date.now() - (meta.at || 0) > REFRESH_AFTER_MS;
  const listResponse = await fetch(self.PEERM.keepUrl, {cache: "no-cache", credentials: "same-origin"});
  if (!listResponse.ok) return {kept: 0, bytes: 0};
  const list = await listResponse.json();
  // The page the person is on is kept too (a shared phone's page is in no list), first, so
  // that the budget never leaves it out.
  const urls = [self.PEERM.offlineUrl, ...list.pages];
  if (also && also.startsWith("/") && !urls.includes(also)) urls.splice(1, 0, also);
  let bytes = (Number(listResponse.headers.get("Content-Length")) || 0) + HEADER_BYTES;
  let kept = 0;
  let largest = 0;
  for (const url of urls) {
    if (!stale && await cache.match(url, MATCH)) continue;
    // Stop before a page of the largest size seen so far would pass the budget.
    if (bytes + largest > list.budget) break;
    const response = await fetch(url, {cache: "no-cache", credentials: "same-origin", priority: "low"});
    if (!isKeepable(response)) continue;
    const body = await response.clone().arrayBuffer();
    const size = (Number(response.headers.get("Content-Length")) || body.byteLength) + HEADER_BYTES;
    bytes += size;
    largest = Math.max(largest, size);
    await cache.put(url, response);
    kept += 1;
  }
  if (reset) {
    const wanted = new Set([META_URL, ...urls].map((url) => new URL(url, self.location.href).href));
    for (const request of await cache.keys()) {
      if (!wanted.has(request.url)) await cache.delete(request);
    }
  }
  await cache.put(META_URL, new Response(JSON.stringify({version: self.PEERM.version, at: Date.now()})));
  return {kept, bytes};
}

async function readMeta(cache) {
  const response = await cache.match(META_URL);
  try {
    return response ? await response.json() : {};
  } catch (error) {
    return {};
  }
}

/* One round of keeping at a time, in order: page load, `online` and activation often
   coincide, and a later round finds the pages fresh and fetches nothing. */
let keeping = Promise.resolve();
function keepPagesOnce(options) {
  const round = keeping.then(() => keepPages(options)).catch(() => ({kept: 0, bytes: 0}));
  keeping = round;
  return round;
}

/* Every cache this version expects; activation removes the others. */
function expectedCaches() {
  return new Set([workbox.core.cacheNames.precache, PAGES_CACHE, LIBRARY_CACHE]);
}
