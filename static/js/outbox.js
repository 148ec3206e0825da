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

  /* Actions this page has just shown as saved on the phone (the worker's answer, swapped in by
     htmx): the page's own lists leave them out until they have a result, so that the same
     message is not shown twice. */
  var answeredHere = {};

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form[data-offline]");
    if (!form) return;
    // The next submission is another action.
    var idInput = form.querySelector("input[name=action_id]");
    var xhr = event.detail.xhr;
    if (idInput && xhr && xhr.getResponseHeader("X-Peerm-Queued") === "1") {
      answeredHere[idInput.value] = true;
    }
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
      var finished = (record.state === "done" || record.state === "refused") && !waitsForChoice(record);
      if (finished && record.shownAt && record.shownAt < pageOpenedAt) store.remove(record.seq);
      else kept.push(record);
    });
    return kept;
  }
  var pageOpenedAt = Date.now();

  /* An action the server refused for its size: it stays on the phone until the person
     chooses (send it again smaller, or without its photo, or throw it away). */
  var TOO_LARGE = ["too_large", "receipt_too_large"];
  function waitsForChoice(record) {
    return record.state === "refused" && !!record.result &&
      TOO_LARGE.indexOf(record.result.outcome) >= 0;
  }

  /* The same action as a new one (a new id: the server has refused the old one for good),
     with other data, at the end of the queue; the refused one goes once the new one is kept. */
  function sendAgain(record, data) {
    var again = {id: newId(), type: record.type, at: record.at, data: data,
                 person: record.person || "", transient: false, state: "waiting", result: null,
                 queuedAt: Date.now(), shownAt: null};
    return store.add(again).then(function () { return store.remove(record.seq); })
      .then(function () { askFlush(); return refreshCount(); });
  }

  function refreshCount() {
    if (!store) return Promise.resolve();
    window.PeermWork.begin();
    return store.all().then(forgetShown).then(function (records) {
      showCount(store.pending(records).length);
      renderOutbox(records);
      showEventResults(records);
      showOfflineShifts(records);
      return records;
    }).catch(function () { /* no IndexedDB here: nothing can wait */ })
      .then(function (records) { window.PeermWork.end(); return records; });
  }

  function askFlush() {
    if (navigator.onLine !== false) window.PeermWork.ask({type: "flush"});
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
      var choice = waitsForChoice(record);
      if (choice) item.dataset.outcome = record.result.outcome;
      if (record.result && record.result.message) {
        var message = document.createElement("p");
        message.textContent = choice ? labels.tooLarge : record.result.message;
        item.appendChild(message);
      }
      if (choice) wayOut(item, record, labels);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--quiet";
      var pending = record.state === "waiting" || record.state === "login";
      button.textContent = pending || choice ? labels.discard : labels.seen;
      button.dataset.action = pending || choice ? "discard" : "seen";
      button.onclick = function () {
        if ((pending || choice) && !window.confirm(labels.confirm)) return;
        store.remove(record.seq).then(refreshCount);
      };
      item.appendChild(button);
      list.appendChild(item);
      if (!pending && !choice && !record.shownAt) {
        record.shownAt = Date.now();
        store.put(record);
      }
    });
    box.appendChild(list);
  }

  /* For a claim refused for its size: send it again with a smaller photo, or without. */
  function wayOut(item, record, labels) {
    var data = record.data || {};
    if (record.type !== "expense.claim" || !data.receipt) return;
    var status = document.createElement("p");
    status.className = "meta";
    status.setAttribute("role", "status");
    var smaller = document.createElement("button");
    smaller.type = "button";
    smaller.className = "button";
    smaller.dataset.action = "send-smaller";
    smaller.textContent = labels.sendSmaller;
    smaller.onclick = function () {
      smaller.disabled = true;
      window.PeermWork.begin();
      shrinkPhoto(data.receipt, Number(labels.maxPhotoBytes) || 0).then(function (photo) {
        var copy = {};
        for (var key in data) copy[key] = data[key];
        copy.receipt = photo;
        return sendAgain(record, copy);
      }, function () {
        status.textContent = labels.cannotShrink;
      }).then(window.PeermWork.end, window.PeermWork.end);
    };
    var without = document.createElement("button");
    without.type = "button";
    without.className = "button button--quiet";
    without.dataset.action = "send-without-photo";
    without.textContent = labels.sendWithout;
    without.onclick = function () {
      var copy = {};
      for (var key in data) if (key !== "receipt") copy[key] = data[key];
      window.PeermWork.begin();
      sendAgain(record, copy).then(window.PeermWork.end, window.PeermWork.end);
    };
    item.appendChild(smaller);
    item.appendChild(without);
    item.appendChild(status);
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

  /* An event page shows what became of the actions this phone made for it, in a box of its
     own (the answer to the form is htmx's to show, in another). */
  function showEventResults(records) {
    var form = document.querySelector("form[data-offline] input[name=event]");
    var box = document.getElementById("signup-outbox");
    if (!form || !box) return;
    var eventId = Number(form.value);
    box.textContent = "";
    records.forEach(function (record) {
      if (Number((record.data || {}).event) !== eventId || record.type !== "event.signup") return;
      if (!record.result && answeredHere[record.id]) return;
      var line = document.createElement("p");
      line.setAttribute("role", "status");
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

  /* A receipt photo is made smaller on the phone (JPEG, at most 1280 px, then smaller and
     coarser until it fits the server's limit, which the form carries as `data-max-bytes`), so
     that it fits in the outbox and costs little data; the form then carries it as base64. */
  var PHOTO_STEPS = [[1280, 0.7], [1280, 0.5], [1024, 0.5], [800, 0.5], [640, 0.45], [480, 0.4]];

  /* How many bytes a base64 data URL stands for. */
  function dataUrlBytes(url) {
    var base64 = url.slice(url.indexOf(",") + 1);
    var padding = base64.slice(-2) === "==" ? 2 : base64.slice(-1) === "=" ? 1 : 0;
    return Math.floor(base64.length * 3 / 4) - padding;
  }

  /* A JPEG data URL of the image at `source` (a URL) within `maxBytes`; rejects with
     "not_image" or "too_large". */
  function shrinkPhoto(source, maxBytes) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () {
        for (var i = 0; i < PHOTO_STEPS.length; i++) {
          var scale = Math.min(1, PHOTO_STEPS[i][0] / Math.max(image.width, image.height));
          var canvas = document.createElement("canvas");
          canvas.width = Math.round(image.width * scale);
          canvas.height = Math.round(image.height * scale);
          canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
          var url = canvas.toDataURL("image/jpeg", PHOTO_STEPS[i][1]);
          if (!maxBytes || dataUrlBytes(url) <= maxBytes) return resolve(url);
        }
        reject(new Error("too_large"));
      };
      image.onerror = function () { reject(new Error("not_image")); };
      image.src = source;
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-receipt-for]")) return;
    var target = document.getElementById(input.dataset.receiptFor);
    var status = document.getElementById("receipt-status");
    var file = input.files && input.files[0];
    target.value = "";
    if (status) status.textContent = "";
    if (!file) return;
    var url = URL.createObjectURL(file);
    window.PeermWork.begin();
    shrinkPhoto(url, Number(input.dataset.maxBytes) || 0).then(function (photo) {
      target.value = photo;
      if (status) status.textContent = Math.round(dataUrlBytes(photo) / 1024) + " KB";
    }, function (error) {
      if (status) {
        status.textContent = (error.message === "too_large" ? input.dataset.tooLarge
                                                             : input.dataset.notImage) || "";
      }
      input.value = "";
    }).then(function () {
      URL.revokeObjectURL(url);
      window.PeermWork.end();
    });
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
