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
function decodeLabel(raw) {
  try { return raw ? decodeURIComponent(raw).slice(0, 200) : ""; } catch (error) { return ""; }
}

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
    // What it was about (kept on the phone, never sent).
    label: decodeLabel(request.headers.get("X-Peerm-Label")),
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
    return savedAnswer(action);
  }
}

const WORDS = /<template id="action-words">([\s\S]*?)<\/template>/;

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// "Saved", in words: the type's words (carried by the kept answer) and the page's label.
async function savedAnswer(action) {
  const kept = await caches.match(self.PEERM.savedUrl, MATCH);
  let body = kept ? await kept.text() :
    '<p class="flash flash--saved" role="status" data-outcome="queued"><strong data-what></strong>Saved on this phone.</p>';
  let words = {};
  const found = body.match(WORDS);
  if (found) {
    try { words = JSON.parse(found[1]); } catch (error) { words = {}; }
    body = body.replace(found[0], "");
  }
  const what = [words[action.type], action.label].filter(Boolean).join(" · ");
  body = body.replace("<strong data-what></strong>", what ? `<strong>${escapeHtml(what)}:</strong> ` : "");
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

/* Send what waits, in order, in batches; one flush at a time. A batch keeps to the server's
   limits (its count, and its bytes as UTF-8 JSON, which is what the server counts). An action
   larger than one action may be travels alone: if the server refuses it for its size, it is
   marked refused on the phone (the outbox page offers a way out) and the actions behind it
   are sent all the same. Any other failure stops the flush: everything waits for the next. */
const LIMITS = {
  actions: self.PEERM.syncMaxActions || 200,
  batchBytes: self.PEERM.syncMaxBytes || 1024 * 1024,
  actionBytes: self.PEERM.actionMaxBytes || 512 * 1024,
};
// What the results of a refusal for size say, and what the outbox page looks for.
const TOO_LARGE = "too_large";
const utf8 = new TextEncoder();
let flushing = null;
function flush() {
  if (!flushing) flushing = sendWaiting().finally(() => { flushing = null; });
  return flushing;
}

/* What the server gets of an action (the rest of the record is the phone's own). */
function wire({id, type, at, data, person}) {
  return person ? {id, type, at, data, person} : {id, type, at, data};
}

function byteLength(text) {
  return utf8.encode(text).length;
}

/* The body of a batch is `{"actions":[` + the actions joined by commas + `]}`. */
const BATCH_WRAPPER = byteLength(JSON.stringify({actions: []}));

function batches(records) {
  const out = [];
  let current = [];
  let bytes = BATCH_WRAPPER;
  const close = () => {
    if (current.length) out.push(current);
    current = [];
    bytes = BATCH_WRAPPER;
  };
  for (const record of records) {
    const size = byteLength(JSON.stringify(wire(record)));
    const alone = size > LIMITS.actionBytes;
    if (alone || current.length >= LIMITS.actions ||
        bytes + size + (current.length ? 1 : 0) > LIMITS.batchBytes) close();
    current.push(record);
    bytes += size + (current.length > 1 ? 1 : 0);
    if (alone) close();
  }
  close();
  return out;
}

async function sendWaiting() {
  const pending = PeermStore.pending(await PeermStore.all()).sort((a, b) => a.seq - b.seq);
  let sent = 0;
  try {
    for (const batch of batches(pending)) sent += await sendBatch(batch);
  } finally {
    await tellPages();
  }
  return {sent};
}

async function sendBatch(batch) {
  const response = await fetch(self.PEERM.syncUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({actions: batch.map(wire)}),
  });
  if (response.status === 413) {
    if (batch.length > 1) {
      // The server counts otherwise than this worker (an older or newer version): halves.
      const half = Math.ceil(batch.length / 2);
      return (await sendBatch(batch.slice(0, half))) + (await sendBatch(batch.slice(half)));
    }
    await refuseForSize(batch[0], await errorMessage(response));
    return 1;
  }
  if (!response.ok) throw new Error(`sync answered ${response.status}`);
  const {results} = await response.json();
  const byId = new Map(batch.map((record) => [record.id, record]));
  let sent = 0;
  for (const result of results) {
    const record = byId.get(result.id);
    if (!record) continue;
    record.state = {unauthorized: "login", rejected: "refused"}[result.status] || "done";
    // The phone's clock was ahead: the same action is fine once the time catches up.
    if (result.status === "rejected" && result.outcome === "at_future") record.state = "waiting";
    record.result = result;
    await keepResult(record);
    if (record.state !== "login") sent += 1;
  }
  return sent;
}

/* An action the server will not take for its size, alone: refused, with the server's word. */
async function refuseForSize(record, message) {
  record.state = "refused";
  record.result = {id: record.id, status: "rejected", outcome: TOO_LARGE, message, ref: ""};
  await keepResult(record);
}

async function errorMessage(response) {
  try {
    return (await response.json()).error || "";
  } catch (error) {
    return "";
  }
}

async function keepResult(record) {
  if (record.transient && (record.state === "done" || record.state === "refused")) {
    // A shared phone keeps nothing of a volunteer once their action is through.
    await PeermStore.remove(record.seq);
  } else {
    await PeermStore.put(record);
  }
}

/* Tell every open page how the outbox stands, so the header count and lists follow. */
async function tellPages() {
  const records = await PeermStore.all();
  const waiting = PeermStore.pending(records).length;
  const pages = await self.clients.matchAll({type: "window", includeUncontrolled: true});
  for (const page of pages) page.postMessage({type: "outbox", waiting});
}
