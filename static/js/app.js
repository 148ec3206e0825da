/* Peer'M in the page: registers the service worker and shows what it needs to tell people —
   online or offline, a new version, the iPhone tip. Everything here is an enhancement: the
   pages work without it. */
(function () {
  "use strict";

  var doc = document.documentElement;
  doc.classList.add("js");

  function byId(id) { return document.getElementById(id); }

  /* The work this page waits for: its own (reading the outbox, drawing it), what it asked of
     the worker and not yet heard back about (each ask carries a ticket the answer returns),
     and what the worker says it has under way. `PeermWork.idle()` is true when all is done
     and this page's round of keeping has been answered: tests wait for it, not for time. */
  var work = {local: 0, tickets: {}, nextTicket: 1, workerBusy: 0, active: null,
              keepExpected: "serviceWorker" in navigator, keepAnswered: false};
  /* The worker to ask: the one that controls the page, else the registration's active one. A
     page opened while the worker was being activated stays uncontrolled (the worker claimed
     the pages that were open before it), yet the active worker answers it all the same. */
  function worker() {
    return (navigator.serviceWorker && navigator.serviceWorker.controller) || work.active;
  }
  window.PeermWork = {
    /* Post `message` to the worker; false when there is none yet. */
    ask: function (message) {
      var target = worker();
      if (!target) return false;
      var ticket = work.nextTicket++;
      work.tickets[ticket] = message.type;
      message.ticket = ticket;
      target.postMessage(message);
      return true;
    },
    begin: function () { work.local += 1; },
    end: function () { work.local = Math.max(0, work.local - 1); },
    idle: function () {
      return work.local === 0 && Object.keys(work.tickets).length === 0 &&
        work.workerBusy === 0 && (!work.keepExpected || work.keepAnswered);
    }
  };
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "work") work.workerBusy = data.busy || 0;
      if (data.ticket && work.tickets[data.ticket]) {
        if (work.tickets[data.ticket] === "keep") work.keepAnswered = true;
        delete work.tickets[data.ticket];
      }
    });
  }

  /* Online / offline, in the header. */
  function showNetwork() {
    var status = byId("net-status");
    if (!status) return;
    var online = navigator.onLine;
    status.hidden = false;
    status.textContent = online ? status.dataset.online || "Online" : status.dataset.offline || "Offline";
    status.classList.toggle("net--offline", !online);
  }

  /* The worker: register, keep the network's data, offer updates. */
  function tellWorker(message) {
    return window.PeermWork.ask(message);
  }

  var keptThisPage = false;
  function keepData() {
    // Once per page: `ready` and `controllerchange` both ask on a first visit.
    if (keptThisPage || !worker()) return;
    keptThisPage = true;
    // The page's session marker changes with the language and with who is logged in: then
    // the pages kept for the previous person or language are forgotten and kept anew.
    var marker = document.body.dataset.session || "";
    var reset = false;
    try {
      reset = localStorage.getItem("peerm-session") !== marker;
      localStorage.setItem("peerm-session", marker);
    } catch (e) { /* private mode: keep without remembering */ }
    if (!tellWorker({type: "keep", reset: reset, also: window.location.pathname})) {
      keptThisPage = false;
    }
  }

  function whenIdle(fn) {
    if ("requestIdleCallback" in window) window.requestIdleCallback(fn, {timeout: 4000});
    else window.setTimeout(fn, 1500);
  }

  function offerUpdate(worker) {
    var notice = byId("update-notice");
    if (!notice) return;
    notice.hidden = false;
    notice.querySelector("[data-action=reload]").onclick = function () {
      worker.postMessage({type: "skip-waiting"});
    };
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    var hadController = !!navigator.serviceWorker.controller;
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {
      // No worker here (refused, or blocked): no round of keeping to wait for.
      work.keepExpected = false;
    }).then(function (registration) {
      if (!registration) return;
      if (registration.waiting && hadController) offerUpdate(registration.waiting);
      registration.addEventListener("updatefound", function () {
        var incoming = registration.installing;
        if (!incoming) return;
        incoming.addEventListener("statechange", function () {
          if (incoming.state === "installed" && navigator.serviceWorker.controller) {
            offerUpdate(incoming);
          }
        });
      });
    });
    var reloading = false;
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (hadController && !reloading) {
        reloading = true;
        window.location.reload();
      } else {
        hadController = true;
        whenIdle(keepData);
      }
    });
    navigator.serviceWorker.ready.then(function (registration) {
      work.active = registration.active;
      whenIdle(keepData);
    });
  }

  /* Keep what is on the phone when the browser would otherwise clear it. */
  function askPersistence() {
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persisted().then(function (persisted) {
        if (!persisted) navigator.storage.persist();
      });
    }
  }

  /* Safari on iPhone has no install prompt and wipes data after a week unless installed. */
  function iosHint() {
    var hint = byId("ios-hint");
    if (!hint) return;
    var ios = /iphone|ipad|ipod/i.test(navigator.userAgent) ||
      (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
    var installed = window.navigator.standalone === true ||
      window.matchMedia("(display-mode: standalone)").matches;
    var dismissed = false;
    try { dismissed = localStorage.getItem("peerm-ios-hint") === "no"; } catch (e) { /* ignore */ }
    if (!ios || installed || dismissed) return;
    hint.hidden = false;
    hint.querySelector("[data-action=dismiss-hint]").onclick = function () {
      hint.hidden = true;
      try { localStorage.setItem("peerm-ios-hint", "no"); } catch (e) { /* ignore */ }
    };
  }

  /* A refused form (4xx) shows its message where the answer goes, replacing what was there,
     and so does a failing server (5xx): htmx swaps these answers too (by default it drops
     them, and the person sees nothing happen). Set before htmx starts, on DOMContentLoaded. */
  if (window.htmx) {
    window.htmx.config.responseHandling = [
      {code: "204", swap: false},
      {code: "[23]..", swap: true},
      {code: "[45]..", swap: true, error: true},
      {code: "...", swap: false}
    ];
  }

  /* An htmx swap that cannot reach the server becomes a normal visit, which the worker
     answers from the phone (or with the offline page). */
  document.addEventListener("htmx:sendError", function (event) {
    var path = event.detail.pathInfo && event.detail.pathInfo.finalRequestPath;
    var elt = event.detail.elt;
    var navigates = elt && elt.closest && elt.closest("[hx-push-url]");
    if (path && navigates && event.detail.requestConfig.verb === "get") window.location.href = path;
  });

  /* A share button (`data-share` = the link): the phone's own share sheet (WhatsApp, mail…)
     where there is one, else the link copied to the clipboard. Without either it stays
     hidden: the link is on the page to copy by hand. */
  function shareButtons() {
    var buttons = document.querySelectorAll("button[data-share]");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      if (!navigator.share && !(navigator.clipboard && navigator.clipboard.writeText)) continue;
      button.hidden = false;
      button.addEventListener("click", function (event) {
        var me = event.currentTarget;
        var status = byId("share-status");
        var url = me.dataset.share;
        function copied() { if (status) status.textContent = me.dataset.copied || ""; }
        function copy() {
          if (navigator.clipboard && navigator.clipboard.writeText) {
            navigator.clipboard.writeText(url).then(copied, function () { /* left to copy by hand */ });
          }
        }
        if (navigator.share) {
          navigator.share({title: me.dataset.shareTitle || document.title, url: url})
            .catch(function (error) { if (!error || error.name !== "AbortError") copy(); });
        } else {
          copy();
        }
      });
    }
  }

  window.addEventListener("online", function () { showNetwork(); tellWorker({type: "keep"}); });
  window.addEventListener("offline", showNetwork);
  document.addEventListener("DOMContentLoaded", function () {
    showNetwork();
    shareButtons();
    iosHint();
    askPersistence();
    registerWorker();
  });
})();
