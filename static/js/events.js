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
      if (!record.result && outbox.answeredHere(record.id)) return;
      var line = document.createElement("p");
      line.setAttribute("role", "status");
      if (record.result) {
        line.className = record.state === "refused" ? "error" : "flash";
        line.textContent = record.result.message;
        line.dataset.outcome = record.result.outcome || "";
        if (record.result.ref) rememberSignup(record.id);
        outbox.shown(record);
      } else {
        line.className = "flash flash--saved";
        line.dataset.outcome = "queued";
        line.textContent = (box.dataset.waiting || "") + " " + (record.data.name || "");
      }
      box.appendChild(line);
    });
  });

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

  document.addEventListener("DOMContentLoaded", checkPromotions);
})();
