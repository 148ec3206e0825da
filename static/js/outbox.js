/* The outbox in the page: stamps offline-capable forms, counts what waits, asks the worker to
   send it, lists it on the outbox page, shows results on the event page, and keeps the
   action ids of the sign-ups made on this phone so it can tell who moved up from a waiting
   list (a sign-up code alone tells the server nothing). */
(function () {
  "use strict";
  var store = window.PeermStore;
  var SIGNUPS_KEY = "peerm-signups";
  var TOLD_KEY = "peerm-promoted-told";
  // The timer's waits between tries while actions wait: 5 s doubling to 5 minutes.
  var FIRST_RETRY_MS = 5000;
  var LAST_RETRY_MS = 300000;
  var retryMs = FIRST_RETRY_MS;
  var retryTimer = null;

  function pad(n) { n = Math.floor(Math.abs(n)); return (n < 10 ? "0" : "") + n; }

  /* The phone's clock, ISO 8601 with its offset ("2026-09-29T10:15:00+02:00"). */
  function localIso(date) {
    var offset = -date.getTimezoneOffset();
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) +
      (offset >= 0 ? "+" : "-") + pad(offset / 60) + ":" + pad(offset % 60);
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> c / 4).toString(16);
    });
  }

  function freshIds(root) {
    var inputs = (root || document).querySelectorAll("form[data-offline] input[name=action_id]");
    for (var i = 0; i < inputs.length; i++) inputs[i].value = newId();
  }

  function readJson(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function writeJson(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or private */ }
  }
  function rememberSignup(id) {
    if (!id) return;
    var ids = readJson(SIGNUPS_KEY, []);
    if (ids.indexOf(id) < 0) { ids.push(id); writeJson(SIGNUPS_KEY, ids.slice(-50)); }
  }
  // What an earlier version kept: codes, which the server no longer answers for.
  try { localStorage.removeItem("peerm-codes"); } catch (e) { /* private mode */ }

  /* htmx: an offline-capable form tells the worker its action type, the phone's time and which
     fields are numbers. */
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form[data-offline]");
    if (!form) return;
    var idInput = form.querySelector("input[name=action_id]");
    if (idInput && !idInput.value) {
      idInput.value = newId();
      event.detail.parameters.action_id = idInput.value;
    }
    var numbers = [];
    var fields = form.querySelectorAll("input[type=number], [data-number]");
    for (var i = 0; i < fields.length; i++) numbers.push(fields[i].name);
    event.detail.headers["X-Peerm-Action"] = event.detail.elt.dataset.offlineType || form.dataset.offline;
    event.detail.headers["X-Peerm-At"] = localIso(new Date());
    event.detail.headers["X-Peerm-Numbers"] = numbers.join(",");
    if (form.hasAttribute("data-transient")) event.detail.headers["X-Peerm-Transient"] = "1";
    else event.detail.headers["X-Peerm-Person"] = document.body.dataset.person || "";
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form[data-offline]");
    if (!form) return;
    // The next submission is another action.
    var idInput = form.querySelector("input[name=action_id]");
    if (idInput) idInput.value = newId();
    if (event.detail.successful) refreshCount();
    if (form.hasAttribute("data-kiosk")) clearKiosk(form);
  });

  /* A shared phone forgets the volunteer right after each use. */
  function clearKiosk(form) {
    form.reset();
    var result = document.getElementById("kiosk-result");
    window.setTimeout(function () { if (result) result.textContent = ""; }, 6000);
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var made = event.detail.target.querySelectorAll("[data-signup]");
    for (var i = 0; i < made.length; i++) rememberSignup(made[i].dataset.signup);
  });

  /* The header count, and the timer that keeps trying while something waits. */
  function showCount(waiting) {
    var badge = document.getElementById("outbox-count");
    if (!badge) return;
    badge.hidden = !waiting;
    badge.textContent = waiting ? String(waiting) : "";
    badge.setAttribute("aria-label", waiting ? (badge.dataset.label || "").replace("%d", waiting) : "");
    if (waiting && !retryTimer) {
      retryTimer = window.setTimeout(function () {
        retryTimer = null;
        retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
        askFlush();
      }, retryMs);
    }
    if (!waiting) retryMs = FIRST_RETRY_MS;
  }

  /* What was sent and shown on an earlier page leaves the phone: it keeps as little as it can. */
  function forgetShown(records) {
    var kept = [];
    records.forEach(function (record) {
      var finished = record.state === "done" || record.state === "refused";
      if (finished && record.shownAt && record.shownAt < pageOpenedAt) store.remove(record.seq);
      else kept.push(record);
    });
    return kept;
  }
  var pageOpenedAt = Date.now();

  function refreshCount() {
    if (!store) return Promise.resolve();
    return store.all().then(forgetShown).then(function (records) {
      showCount(store.pending(records).length);
      renderOutbox(records);
      showEventResults(records);
      showOfflineShifts(records);
      return records;
    }).catch(function () { /* no IndexedDB here: nothing can wait */ });
  }

  function askFlush() {
    if (navigator.serviceWorker && navigator.serviceWorker.controller && navigator.onLine !== false) {
      navigator.serviceWorker.controller.postMessage({type: "flush"});
    }
  }

  /* The outbox page. */
  function renderOutbox(records) {
    var box = document.getElementById("outbox");
    if (!box) return;
    var labels = box.dataset;
    box.textContent = "";
    var flushButton = document.querySelector("[data-action=flush]");
    if (flushButton) {
      flushButton.hidden = !store.pending(records).length;
      flushButton.onclick = askFlush;
    }
    if (!records.length) {
      var empty = document.createElement("p");
      empty.textContent = labels.empty;
      box.appendChild(empty);
      return;
    }
    var list = document.createElement("ol");
    list.className = "outbox__list";
    records.forEach(function (record) {
      var item = document.createElement("li");
      item.className = "card outbox__item outbox__item--" + record.state;
      item.dataset.state = record.state;
      var state = document.createElement("strong");
      state.textContent = {waiting: labels.waiting, login: labels.login, done: labels.done,
                           refused: labels.refused}[record.state] || record.state;
      var what = document.createElement("p");
      what.className = "meta";
      what.textContent = describe(record);
      item.appendChild(state);
      item.appendChild(what);
      if (record.result && record.result.message) {
        var message = document.createElement("p");
        message.textContent = record.result.message;
        item.appendChild(message);
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--quiet";
      var pending = record.state === "waiting" || record.state === "login";
      button.textContent = pending ? labels.discard : labels.seen;
      button.onclick = function () {
        if (pending && !window.confirm(labels.confirm)) return;
        store.remove(record.seq).then(refreshCount);
      };
      item.appendChild(button);
      list.appendChild(item);
      if (!pending && !record.shownAt) {
        record.shownAt = Date.now();
        store.put(record);
      }
    });
    box.appendChild(list);
  }

  function describe(record) {
    var data = record.data || {};
    var parts = [record.type, record.at.replace("T", " ").slice(0, 16)];
    if (data.name) parts.push(data.name);
    if (data.code) parts.push(data.code);
    return parts.join(" · ");
  }

  /* Check-ins made on this phone that the page does not know yet get a check-out button. */
  function showOfflineShifts(records) {
    var box = document.getElementById("offline-shifts");
    var template = document.getElementById("checkout-template");
    if (!box || !template) return;
    box.textContent = "";
    var known = {};
    var inputs = document.querySelectorAll("input[name=checkin]");
    for (var i = 0; i < inputs.length; i++) if (inputs[i].value) known[inputs[i].value] = true;
    var checkedOut = {};
    records.forEach(function (r) { if (r.type === "shift.checkout") checkedOut[r.data.checkin] = true; });
    records.forEach(function (record) {
      // Only check-ins still on the phone: once sent, the page itself shows the open shift.
      var pending = record.state === "waiting" || record.state === "login";
      if (record.type !== "shift.checkin" || record.transient || known[record.id] ||
          checkedOut[record.id] || !pending) return;
      var section = template.content.cloneNode(true);
      section.querySelector("input[name=checkin]").value = record.id;
      section.querySelector("input[name=action_id]").value = newId();
      section.querySelector(".since").textContent = record.at.slice(11, 16);
      box.appendChild(section);
    });
    if (window.htmx) window.htmx.process(box);
  }

  /* An event page shows what became of the actions this phone made for it. */
  function showEventResults(records) {
    var form = document.querySelector("form[data-offline] input[name=event]");
    var box = document.getElementById("signup-result");
    if (!form || !box) return;
    var eventId = Number(form.value);
    // Only the lines this function added before: an answer htmx just showed stays.
    var old = box.querySelectorAll("[data-outbox]");
    for (var i = 0; i < old.length; i++) old[i].remove();
    records.forEach(function (record) {
      if (Number((record.data || {}).event) !== eventId || record.type !== "event.signup") return;
      var line = document.createElement("p");
      line.setAttribute("role", "status");
      line.dataset.outbox = "";
      if (record.result) {
        line.className = record.state === "refused" ? "error" : "flash";
        line.textContent = record.result.message;
        line.dataset.outcome = record.result.outcome || "";
        if (record.result.ref) rememberSignup(record.id);
        if (!record.shownAt) { record.shownAt = Date.now(); store.put(record); }
      } else {
        line.className = "flash flash--saved";
        line.dataset.outcome = "queued";
        line.textContent = (box.dataset.waiting || "") + " " + (record.data.name || "");
      }
      box.appendChild(line);
    });
  }

  /* Sign-ups made on this phone that moved up from a waiting list since last time. */
  function checkPromotions() {
    var ids = readJson(SIGNUPS_KEY, []);
    var notice = document.getElementById("promotion-notice");
    if (!ids.length || !notice || !navigator.onLine) return;
    fetch("/events/codes?signups=" + encodeURIComponent(ids.join(",")), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : {signups: []}; })
      .then(function (body) {
        var told = readJson(TOLD_KEY, []);
        body.signups.forEach(function (signup) {
          if (!signup.promoted || signup.status !== "confirmed" || told.indexOf(signup.code) >= 0) return;
          told.push(signup.code);
          var line = document.createElement("p");
          var link = document.createElement("a");
          link.href = signup.url;
          link.textContent = signup.title;
          line.textContent = notice.dataset.text + " ";
          line.appendChild(link);
          notice.appendChild(line);
          notice.hidden = false;
        });
        writeJson(TOLD_KEY, told.slice(-100));
      }).catch(function () { /* offline: ask next time */ });
  }

  /* Logging out never drops what waits without asking. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-logout]") || !store) return;
    event.preventDefault();
    store.all().then(function (records) {
      var waiting = store.pending(records).length;
      if (waiting && !window.confirm(form.dataset.logout.replace("%d", waiting))) return;
      // The pages kept for this person leave the phone now, not after the next round; the
      // offline page stays, so the phone still answers without signal.
      var forget = !window.caches ? Promise.resolve() : caches.open("peerm-pages").then(function (cache) {
        return cache.keys().then(function (requests) {
          return Promise.all(requests.filter(function (request) {
            return new URL(request.url).pathname !== "/offline";
          }).map(function (request) { return cache.delete(request); }));
        });
      });
      forget.then(function () { form.submit(); }, function () { form.submit(); });
    }, function () { form.submit(); });
  });

  /* A receipt photo is made smaller on the phone (at most 1280 px, JPEG) so that it fits in
     the outbox and costs little data; the form then carries it as base64. */
  var RECEIPT_MAX_PX = 1280;
  var RECEIPT_QUALITY = 0.7;
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-receipt-for]")) return;
    var target = document.getElementById(input.dataset.receiptFor);
    var status = document.getElementById("receipt-status");
    var file = input.files && input.files[0];
    target.value = "";
    if (!file) return;
    var image = new Image();
    var url = URL.createObjectURL(file);
    image.onload = function () {
      var scale = Math.min(1, RECEIPT_MAX_PX / Math.max(image.width, image.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(image.width * scale);
      canvas.height = Math.round(image.height * scale);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      target.value = canvas.toDataURL("image/jpeg", RECEIPT_QUALITY);
      URL.revokeObjectURL(url);
      if (status) status.textContent = Math.round(target.value.length * 3 / 4 / 1024) + " KB";
    };
    image.onerror = function () {
      URL.revokeObjectURL(url);
      if (status) status.textContent = input.dataset.notImage || "";
      input.value = "";
    };
    image.src = url;
  });

  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox") refreshCount();
    });
  }
  window.addEventListener("online", askFlush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") askFlush();
  });
  document.addEventListener("DOMContentLoaded", function () {
    freshIds();
    refreshCount();
    checkPromotions();
    if (navigator.serviceWorker) navigator.serviceWorker.ready.then(askFlush);
  });
})();
