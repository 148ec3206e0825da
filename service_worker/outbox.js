/* The outbox: a form marked `data-offline` that cannot reach the server becomes an action kept
 * on the phone (see static/js/store.js), and the person is told at once that it is saved.
 * Actions are sent to /sync in the order they were made, on Background Sync where the browser
 * has it, and whenever a page asks (load, `online`, `visibilitychange`, a backed-off timer).
 * The server applies each id at most once, so sending again after a lost answer is safe.
 */
const SYNC_TAG = "peerm-outbox";
// Form fields that are the form's own, not the action's data.
const NOT_DATA = new Set(["csrf_token", "action_id"]);

function isOfflineForm(request) {
  return request.method === "POST" && request.headers.has("X-Peerm-Action") &&
    new URL(request.url).origin === self.location.origin;
}

/* The action a form stands for: its fields named after the action's data keys. */
function actionFromForm(request, form) {
  const numbers = new Set((request.headers.get("X-Peerm-Numbers") || "").split(",").filter(Boolean));
  const data = {};
  for (const [key, value] of form.entries()) {
    if (NOT_DATA.has(key) || key.startsWith("_") || typeof value !== "string") continue;
    data[key] = numbers.has(key) && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return {
    id: form.get("action_id") || self.crypto.randomUUID(),
    type: request.headers.get("X-Peerm-Action"),
    at: request.headers.get("X-Peerm-At") || new Date().toISOString(),
    data,
    person: request.headers.get("X-Peerm-Person") || "",
    // Made on a shared phone: removed as soon as the server has it.
    transient: request.headers.get("X-Peerm-Transient") === "1",
    state: "waiting",
    result: null,
    queuedAt: Date.now(),
    shownAt: null,
  };
}

async function sendOrKeep(request) {
  // Read the form before fetch() consumes the body.
  const form = await request.clone().formData();
  try {
    return await fetch(request);
  } catch (networkError) {
    const action = actionFromForm(request, form);
    try {
      await PeermStore.add(action);
    } catch (storeError) {
      // The same action id is already kept (sent twice offline): it is still only one action.
    }
    await askForSync();
    await tellPages();
    return savedAnswer();
  }
}

async function savedAnswer() {
  const kept = await caches.match(self.PEERM.savedUrl, MATCH);
  const body = kept ? await kept.text() :
    '<p class="flash flash--saved" role="status" data-outcome="queued">Saved on this phone.</p>';
  return new Response(body, {
    status: 200,
    headers: {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
              "X-Peerm-Queued": "1"},
  });
}

async function askForSync() {
  if (self.registration.sync) {
    try {
      await self.registration.sync.register(SYNC_TAG);
    } catch (error) {
      // Background Sync refused: the pages' triggers still flush.
    }
  }
}

/* Send what waits, in order, in batches; one flush at a time. A batch holds at most 200
   actions and stays under the server's 1 MB (a receipt photo can be a few hundred KB). */
const BATCH_ACTIONS = 200;
const BATCH_BYTES = 900 * 1024;
let flushing = null;
function flush() {
  if (!flushing) flushing = sendWaiting().finally(() => { flushing = null; });
  return flushing;
}

function batches(records) {
  const out = [];
  let current = [];
  let bytes = 0;
  for (const record of records) {
    const size = JSON.stringify(record.data).length + 200;
    if (current.length && (current.length >= BATCH_ACTIONS || bytes + size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

async function sendWaiting() {
  const pending = PeermStore.pending(await PeermStore.all()).sort((a, b) => a.seq - b.seq);
  let sent = 0;
  for (const batch of batches(pending)) {
    const response = await fetch(self.PEERM.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({actions: batch.map(({id, type, at, data, person}) =>
        (person ? {id, type, at, data, person} : {id, type, at, data}))}),
    });
    if (!response.ok) throw new Error(`sync answered ${response.status}`);
    const {results} = await response.json();
    const byId = new Map(batch.map((record) => [record.id, record]));
    for (const result of results) {
      const record = byId.get(result.id);
      if (!record) continue;
      record.state = {unauthorized: "login", rejected: "refused"}[result.status] || "done";
      // The phone's clock was ahead: the same action is fine once the time catches up.
      if (result.status === "rejected" && result.outcome === "at_future") record.state = "waiting";
      record.result = result;
      if (record.transient && (record.state === "done" || record.state === "refused")) {
        // A shared phone keeps nothing of a volunteer once their action is through.
        await PeermStore.remove(record.seq);
      } else {
        await PeermStore.put(record);
      }
      if (record.state !== "login") sent += 1;
    }
  }
  await tellPages();
  return {sent};
}

/* Tell every open page how the outbox stands, so the header count and lists follow. */
async function tellPages() {
  const records = await PeermStore.all();
  const waiting = PeermStore.pending(records).length;
  const pages = await self.clients.matchAll({type: "window", includeUncontrolled: true});
  for (const page of pages) page.postMessage({type: "outbox", waiting});
}
