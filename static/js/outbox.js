/* The outbox in the page: stamps offline-capable forms, counts what waits, asks the worker to
   send it (and keeps asking, backed off, while something waits), lists it on the outbox page,
   and lets the phone forget results once they have been shown. It knows no part: a part's
   own script, bundled after this one, hooks in through `window.PeermOutbox`:

   - `onRecords(fn)`: `fn(records)` whenever the page has read the outbox (on load, when the
     worker says it changed, after a form was sent), to draw the part's own boxes;
   - `onAnswer(fn)`: `fn(answer, form)` after htmx has had the answer to an offline-capable
     form: `answer` is what the result partial says, `{type, id, status, outcome, ref}`, or
     `{id, outcome: "queued"}` when the worker kept the action, or null;
   - `describe(type, fn)`: `fn(record)` → the words after the type and time that say what the
     action was, on the outbox page;
   - `waysOut(type, fn)`: `fn(record, labels)` → how an action refused for its size may be sent
     again, `[{name, label, quiet, run(button, status)}]` (`run` may return a promise; `labels`
     are the outbox list's words). Such an action stays on the phone until the person chooses,
     as every action refused as too large (`too_large`) does;
   - helpers: `newId()`, `answeredHere(id)`, `shown(record)`, `sendAgain(record, data)`,
     `statusLine(record, waiting)`.

   One writer per element: the answer to a form is htmx's to show, in the form's own box; what
   the outbox knows is drawn by one script in another. An action this page has just shown as
   saved on the phone (the worker's answer) is left out of a part's list until it has a result
   (`answeredHere`), so that the same message is not shown twice. */
(function () {
  "use strict";
  var store = window.PeermStore;
  // The timer's waits between tries while actions wait: 5 s doubling to 5 minutes.
  var FIRST_RETRY_MS = 5000;
  var LAST_RETRY_MS = 300000;
  var retryMs = FIRST_RETRY_MS;
  var retryTimer = null;
  // What the worker (or the server) says of an action refused for its size.
  var TOO_LARGE = "too_large";
  var hooks = {records: [], answers: [], describe: {}, waysOut: {}};

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
    // What the action is about, in the page's words, for the outbox list and the "saved"
    // answer: the form's own label, else the page's title (the event, the counter).
    var heading = document.querySelector("main h1");
    var label = form.dataset.offlineLabel || (heading ? heading.textContent.trim() : "");
    if (label) event.detail.headers["X-Peerm-Label"] = encodeURIComponent(label.slice(0, 200));
    if (form.hasAttribute("data-transient")) event.detail.headers["X-Peerm-Transient"] = "1";
    else event.detail.headers["X-Peerm-Person"] = document.body.dataset.person || "";
  });

  /* Actions this page has just shown as saved on the phone (the worker's answer, swapped in by
     htmx). */
  var answeredHere = {};

  /* What the answer to a form says: the result partial's data attributes, or "queued". */
  function readAnswer(xhr, id) {
    if (!xhr) return null;
    if (xhr.getResponseHeader("X-Peerm-Queued") === "1") return {id: id, outcome: "queued"};
    var holder = document.createElement("template");
    holder.innerHTML = xhr.responseText || "";
    var shown = holder.content.querySelector("[data-status][data-outcome]");
    if (!shown) return null;
    return {type: shown.dataset.type || "", id: shown.dataset.action || "",
            status: shown.dataset.status, outcome: shown.dataset.outcome,
            ref: shown.dataset.ref || ""};
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form[data-offline]");
    if (!form) return;
    var idInput = form.querySelector("input[name=action_id]");
    var answer = readAnswer(event.detail.xhr, idInput ? idInput.value : "");
    if (answer && answer.outcome === "queued" && answer.id) answeredHere[answer.id] = true;
    // The next submission is another action.
    if (idInput) idInput.value = newId();
    if (event.detail.successful) refreshCount();
    hooks.answers.forEach(function (fn) { fn(answer, form); });
  });

  /* The header count, and the timer that keeps trying while something waits. */
  function showCount(waiting) {
    var badge = document.getElementById("outbox-count");
    if (!badge) return;
    badge.hidden = !waiting;
    // The top bar's link to the outbox shows only while something waits.
    var link = badge.closest(".top__count");
    if (link) {
      link.hidden = !waiting;
      link.setAttribute("aria-label", badge.getAttribute("aria-label"));
    }
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

  function markShown(record) {
    if (record.shownAt) return;
    record.shownAt = Date.now();
    store.put(record);
  }

  /* How a part would have a refused action sent again (none: an empty list). */
  function waysOut(record, labels) {
    var fn = record.state === "refused" && hooks.waysOut[record.type];
    return (fn && fn(record, labels || {})) || [];
  }

  /* An action refused for its size stays on the phone until the person chooses (send it again
     another way, or throw it away). */
  function waitsForChoice(record) {
    return record.state === "refused" && !!record.result &&
      (record.result.outcome === TOO_LARGE || waysOut(record).length > 0);
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
      hooks.records.forEach(function (fn) { fn(records); });
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
      if (choice) offerWaysOut(item, waysOut(record, labels));
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
      if (!pending && !choice) markShown(record);
    });
    box.appendChild(list);
  }

  /* A part's ways to send a refused action again, as buttons, with a line for what they say. */
  function offerWaysOut(item, ways) {
    if (!ways.length) return;
    var status = document.createElement("p");
    status.className = "meta";
    status.setAttribute("role", "status");
    ways.forEach(function (way) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = way.quiet ? "button button--quiet" : "button";
      button.dataset.action = way.name;
      button.textContent = way.label;
      button.onclick = function () {
        window.PeermWork.begin();
        Promise.resolve().then(function () { return way.run(button, status); })
          .then(window.PeermWork.end, window.PeermWork.end);
      };
      item.appendChild(button);
    });
    item.appendChild(status);
  }

  /* What an action was, in words: what it is called (the outbox page's words for its type,
     never the code name), what it was about (the page it was made on), when, and what the
     part adds (a name, a code). */
  var actionWords = null;
  function wordsFor(type) {
    if (actionWords === null) {
      var box = document.getElementById("outbox");
      try { actionWords = JSON.parse((box && box.dataset.words) || "{}"); } catch (e) { actionWords = {}; }
    }
    return actionWords[type] || "";
  }

  function describe(record) {
    var parts = [wordsFor(record.type) || record.type];
    if (record.label) parts.push(record.label);
    parts.push(record.at.replace("T", " ").slice(0, 16));
    var fn = hooks.describe[record.type];
    var more = fn && fn(record);
    if (more) parts.push(more);
    return parts.join(" · ");
  }

  /* The line a part's box shows for one of its actions: what became of it (then the phone
     forgets the result), or `waiting`, the words that say it waits on the phone; null while
     this page shows the worker's "saved" answer for it. */
  function statusLine(record, waiting) {
    if (!record.result && answeredHere[record.id]) return null;
    var line = document.createElement("p");
    line.setAttribute("role", "status");
    if (record.result) {
      line.className = record.state === "refused" ? "error" : "flash";
      line.textContent = record.result.message;
      line.dataset.outcome = record.result.outcome || "";
      markShown(record);
    } else {
      line.className = "flash flash--saved";
      line.dataset.outcome = "queued";
      line.textContent = waiting;
    }
    return line;
  }

  window.PeermOutbox = {
    onRecords: function (fn) { hooks.records.push(fn); },
    onAnswer: function (fn) { hooks.answers.push(fn); },
    describe: function (type, fn) { hooks.describe[type] = fn; },
    waysOut: function (type, fn) { hooks.waysOut[type] = fn; },
    newId: newId,
    /* Whether this page has shown the worker's "saved" answer for this action. */
    answeredHere: function (id) { return !!answeredHere[id]; },
    /* The person has seen this result: the phone forgets it from the next page on. */
    shown: markShown,
    sendAgain: sendAgain,
    statusLine: statusLine
  };

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
    if (navigator.serviceWorker) navigator.serviceWorker.ready.then(askFlush);
  });
})();
