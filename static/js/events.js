/* Events in the page: an event page shows what became of the sign-ups this phone made for it,
   and the phone keeps the action ids of its sign-ups (`peerm-signups`), so that any page can
   tell who moved up from a waiting list (a sign-up code alone tells the server nothing). */
(function () {
  "use strict";
  var outbox = window.PeermOutbox;
  var SIGNUPS_KEY = "peerm-signups";
  var TOLD_KEY = "peerm-promoted-told";
  // The outcomes of a sign-up that holds a place or a place in the queue.
  var SIGNED_UP = ["confirmed", "waitlisted"];

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

  /* A sign-up answered online (the result partial htmx swapped in). */
  outbox.onAnswer(function (answer) {
    if (answer && answer.type === "event.signup" && SIGNED_UP.indexOf(answer.outcome) >= 0) {
      rememberSignup(answer.id);
    }
  });

  /* The outbox page says who signed up, or whose code it was. */
  function describe(record) {
    var data = record.data || {};
    return [data.name, data.code].filter(Boolean).join(" · ");
  }
  ["event.signup", "event.cancel", "event.attend"].forEach(function (type) {
    outbox.describe(type, describe);
  });

  /* An event page shows what became of the actions this phone made for it, in a box of its
     own (the answer to the form is htmx's to show, in another). */
  outbox.onRecords(function (records) {
    var form = document.querySelector("form[data-offline] input[name=event]");
    var box = document.getElementById("signup-outbox");
    if (!form || !box) return;
    var eventId = Number(form.value);
    box.textContent = "";
    records.forEach(function (record) {
      if (Number((record.data || {}).event) !== eventId || record.type !== "event.signup") return;
      var line = outbox.statusLine(record, (box.dataset.waiting || "") + " " + (record.data.name || ""));
      if (!line) return;
      if (record.result && record.result.ref) rememberSignup(record.id);
      box.appendChild(line);
    });
  });

  /* What the server says of this phone's sign-ups (`/events/codes`), kept on the phone so that
     "my sign-ups" shows them without signal too; resolves with {signups, stale}. */
  var STATE_KEY = "peerm-signups-state";
  function signupStates() {
    var ids = readJson(SIGNUPS_KEY, []);
    var kept = readJson(STATE_KEY, {signups: []});
    if (!ids.length) return Promise.resolve({signups: [], stale: false});
    if (navigator.onLine === false) return Promise.resolve({signups: kept.signups, stale: true});
    return fetch("/events/codes?signups=" + encodeURIComponent(ids.join(",")), {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (body) {
        writeJson(STATE_KEY, {signups: body.signups});
        return {signups: body.signups, stale: false};
      })
      .catch(function () { return {signups: kept.signups, stale: true}; });
  }

  /* Sign-ups made on this phone that moved up from a waiting list since last time. */
  function checkPromotions(states) {
    var notice = document.getElementById("promotion-notice");
    if (!notice || states.stale) return;
    var told = readJson(TOLD_KEY, []);
    states.signups.forEach(function (signup) {
      if (!signup.promoted || signup.status !== "confirmed" || signup.event_cancelled ||
          told.indexOf(signup.code) >= 0) return;
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
  }

  /* "My sign-ups on this phone" (/events/mine): each with its event's current state and a way
     to cancel it (an offline-capable form, named by the sign-up's action id). */
  function showPhoneSignups(states) {
    var box = document.getElementById("phone-signups");
    var template = document.getElementById("phone-signup-form");
    if (!box || !template) return;
    var words = box.dataset;
    var list = document.createElement("ul");
    list.className = "plain";
    states.signups.forEach(function (signup) {
      if (signup.ended) return;
      var item = document.createElement("li");
      item.className = "card phone-signup";
      item.dataset.signup = signup.id;
      var link = document.createElement("a");
      link.href = signup.url;
      link.textContent = signup.title;
      var meta = document.createElement("p");
      meta.className = "meta";
      var state = document.createElement("span");
      state.className = "phone-signup__state";
      state.dataset.state = signup.event_cancelled ? "event_cancelled" : signup.status;
      state.textContent = signup.event_cancelled ? words.cancelledEvent : signup.status_label;
      meta.appendChild(document.createTextNode(signup.when + " · "));
      meta.appendChild(state);
      meta.appendChild(document.createTextNode(" · " + words.code + " " + signup.code));
      item.appendChild(link);
      item.appendChild(meta);
      if (signup.join) {
        var join = document.createElement("a");
        join.className = "button";
        join.href = signup.join;
        join.rel = "noopener";
        join.textContent = words.join;
        item.appendChild(join);
      }
      if (signup.status !== "cancelled" && !signup.event_cancelled) {
        var result = document.createElement("div");
        result.id = "cancel-" + signup.id;
        result.setAttribute("aria-live", "polite");
        var form = template.content.firstElementChild.cloneNode(true);
        form.querySelector("input[name=signup]").value = signup.id;
        form.querySelector("input[name=action_id]").value = outbox.newId();
        form.querySelector("button").textContent = words.cancel;
        form.setAttribute("hx-target", "#cancel-" + signup.id);
        form.setAttribute("hx-confirm", words.confirm);
        item.appendChild(form);
        item.appendChild(result);
      }
      list.appendChild(item);
    });
    box.textContent = "";
    if (states.stale && list.children.length) {
      var stale = document.createElement("p");
      stale.className = "note";
      stale.textContent = words.stale;
      box.appendChild(stale);
    }
    if (list.children.length) {
      box.appendChild(list);
      if (window.htmx) window.htmx.process(list);
    } else {
      var none = document.createElement("p");
      none.textContent = words.empty;
      box.appendChild(none);
    }
  }

  /* An event page shows that this phone signed up for it (after a reload too), with the link
     to join an online talk in its hour. */
  function showEventSignups(states) {
    var box = document.getElementById("phone-event-signups");
    if (!box) return;
    var words = box.dataset;
    box.textContent = "";
    states.signups.forEach(function (signup) {
      if (String(signup.event) !== words.event || signup.status === "cancelled") return;
      var line = document.createElement("p");
      line.className = signup.event_cancelled ? "error" : "flash";
      line.dataset.state = signup.event_cancelled ? "event_cancelled" : signup.status;
      // No code here: on a shared phone the next person opens this page too; the code is on
      // "my sign-ups", which the person opens on purpose.
      var strong = document.createElement("strong");
      strong.textContent = words.signed;
      line.appendChild(strong);
      line.appendChild(document.createTextNode(" · " + (signup.event_cancelled ?
        words.cancelledEvent : signup.status_label) + " · "));
      var mine = document.createElement("a");
      mine.href = words.mine;
      mine.textContent = words.mineText;
      line.appendChild(mine);
      if (signup.join) {
        var join = document.createElement("a");
        join.className = "button";
        join.href = signup.join;
        join.rel = "noopener";
        join.textContent = words.join;
        line.appendChild(document.createElement("br"));
        line.appendChild(join);
      }
      box.appendChild(line);
    });
  }

  /* After a sign-up the form is cleared (one tap must not sign up twice). Online, the places
     left come with the answer (an out-of-band swap); kept on the phone, the count says that it
     waits. */
  outbox.onAnswer(function (answer, form) {
    if (answer && form && form.dataset.offline === "event.cancel" && form.closest(".phone-signup") &&
        (answer.outcome === "cancelled" || answer.outcome === "queued")) {
      form.hidden = true;  // done, or kept on the phone: the answer says which
      return;
    }
    if (!answer || !form || form.dataset.offline !== "event.signup") return;
    if (answer.outcome !== "queued" && SIGNED_UP.indexOf(answer.outcome) < 0) return;
    var party = Number((form.querySelector("[name=party_size]") || {}).value) || 1;
    form.reset();
    var seats = document.getElementById("seats-left");
    var left = seats ? parseInt(seats.dataset.left, 10) : NaN;
    if (answer.outcome === "queued" && left > 0) {
      // Counted here until the server has the sign-up (its answer then tells the outcome).
      left = Math.max(0, left - party);
      seats.dataset.left = String(left);
      seats.textContent = seats.textContent.replace(/\d+/, String(left));
      seats.dataset.state = "queued";
    }
  });

  /* Filters of the event list without signal: every coming event is on the phone already, so
     the list is filtered here instead of showing the "no connection" page. The worker answers
     a filtered address it has not kept with the kept list (see service_worker/caching.js). */
  function filterHere(form) {
    var list = document.getElementById("event-list");
    if (!list || !form) return;
    var wanted = {
      initiative: (form.querySelector("[name=initiative]") || {}).value || "",
      kind: (form.querySelector("[name=kind]") || {}).value || ""
    };
    var items = list.querySelectorAll("li.event");
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var fits = (!wanted.initiative || items[i].dataset.initiative === wanted.initiative) &&
        (!wanted.kind || items[i].dataset.kind === wanted.kind);
      items[i].hidden = !fits;
      if (fits) shown += 1;
    }
    var count = list.querySelector(".count");
    if (count && list.dataset.one) {
      count.textContent = (shown === 1 ? list.dataset.one : list.dataset.many).replace("{n}", shown);
    }
    var none = list.querySelector(".events-none");
    if (none) none.hidden = shown > 0;
    var note = list.querySelector(".events-offline");
    if (note) note.hidden = false;
    list.dataset.filtered = "phone";
  }

  function filterForm(element) {
    return element && element.closest ? element.closest("#event-filters") : null;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = filterForm(event.detail.elt);
    if (!form || navigator.onLine !== false) return;
    event.preventDefault();
    filterHere(form);
    var query = new URLSearchParams(new FormData(form)).toString();
    history.replaceState(history.state, "", form.getAttribute("action") + (query ? "?" + query : ""));
  });
  document.addEventListener("htmx:sendError", function (event) {
    filterHere(filterForm(event.detail.elt));
  });
  document.addEventListener("submit", function (event) {
    var form = filterForm(event.target);
    if (!form || navigator.onLine !== false) return;
    event.preventDefault();
    filterHere(form);
  });

  /* A kept list opened for a filtered address: choose the filters of the address, and filter. */
  function filterFromAddress() {
    var form = document.getElementById("event-filters");
    var list = document.getElementById("event-list");
    if (!form || !list) return;
    var params = new URLSearchParams(window.location.search);
    var differs = false;
    ["initiative", "kind"].forEach(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      var value = params.get(name) || "";
      if (field && (list.dataset[name] || "") !== value) {
        field.value = value;
        differs = true;
      }
    });
    if (differs) filterHere(form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    filterFromAddress();
    signupStates().then(function (states) {
      checkPromotions(states);
      showPhoneSignups(states);
      showEventSignups(states);
    });
  });
})();
