/* The tool library in the page: the counter's lists and forms after each action, and scanning
   a tool's QR label with the phone's camera.

   After lending or taking back, the form is cleared (so that the same tool is not lent twice).
   Online, the server's answer brings the counter's lists up to date itself (out of band);
   what waits on this phone is drawn into them here, marked as such, and once it has been sent
   the lists are fetched again from the server. */
(function () {
  "use strict";
  var outbox = window.PeermOutbox;
  if (!outbox) return;
  // What the server answers when an action changed something (a clash is kept too).
  var SETTLED = ["applied", "duplicate", "conflict"];
  var COUNTER_TYPES = {"tool.lend": true, "tool.return": true};
  // Counter actions drawn as "saved on this phone", by id, and the last of them.
  var drawn = {};
  var lastPending = [];

  /* The answer lands in the form's result box (the answer to "lend anyway" too, whose form
     the answer replaces): once it says the action is done or kept, the form is emptied. */
  var FORMS = {"lend-result": "lend-form", "return-result": "return-form"};
  document.addEventListener("htmx:afterSwap", function (event) {
    var box = event.detail.target;
    var form = box && FORMS[box.id] && document.getElementById(FORMS[box.id]);
    var said = form && box.querySelector("[data-outcome]");
    if (!said) return;
    if (said.dataset.outcome === "queued" || SETTLED.indexOf(said.dataset.status) >= 0) form.reset();
  });

  function pendingOf(records) {
    return records.filter(function (record) {
      return COUNTER_TYPES[record.type] && (record.state === "waiting" || record.state === "login");
    }).sort(function (a, b) { return a.seq - b.seq; });
  }

  outbox.onRecords(function (records) {
    var state = document.getElementById("counter-state");
    if (!state) return;
    var pending = pendingOf(records);
    var now = {};
    pending.forEach(function (record) { now[record.id] = true; });
    // Something drawn here has reached the server (or was thrown away): ask it what is true.
    var sent = Object.keys(drawn).some(function (id) { return !now[id]; });
    drawn = now;
    lastPending = pending;
    draw(state, pending);
    if (sent) refresh();
  });

  /* The counter's lists as the server has them now, with what still waits drawn in again. */
  function refresh() {
    window.PeermWork.begin();
    fetch(window.location.pathname, {headers: {"HX-Request": "true"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var current = document.getElementById("counter-state");
        if (!html || !current) return;
        var holder = document.createElement("template");
        holder.innerHTML = html;
        var fresh = holder.content.getElementById("counter-state");
        if (!fresh) return;
        current.replaceWith(fresh);
        draw(fresh, lastPending);
      })
      .catch(function () { /* no signal after all: the lists stay as drawn */ })
      .then(window.PeermWork.end);
  }

  function rowsOf(list, code) {
    return Array.prototype.filter.call(list.children, function (li) { return li.dataset.tool === code; });
  }

  function setStatus(row, text) {
    var status = row && row.querySelector(".tool-status");
    if (!status) return;
    if (!status.hasAttribute("data-server")) status.dataset.server = status.textContent;
    status.textContent = text;
    row.classList.add("kept-here");
  }

  /* Undo what was drawn before, then draw every counter action that waits on this phone, in
     the order it was made. */
  function draw(state, pending) {
    var onLoan = state.querySelector("#on-loan");
    var tools = state.querySelector("#counter-tools");
    if (!onLoan || !tools) return;
    Array.prototype.slice.call(state.querySelectorAll("[data-added]")).forEach(function (el) { el.remove(); });
    Array.prototype.forEach.call(state.querySelectorAll("[data-hidden-here]"), function (el) {
      el.hidden = false;
      el.removeAttribute("data-hidden-here");
    });
    Array.prototype.forEach.call(state.querySelectorAll(".tool-status[data-server]"), function (el) {
      el.textContent = el.dataset.server;
      el.removeAttribute("data-server");
    });
    Array.prototype.forEach.call(state.querySelectorAll(".kept-here"), function (el) {
      el.classList.remove("kept-here");
    });
    var empty = onLoan.querySelector(".empty");
    pending.forEach(function (record) {
      var code = String(record.data.tool || "").trim().toUpperCase();
      var row = rowsOf(tools, code)[0];
      if (record.type === "tool.lend") {
        var borrower = document.querySelector("input[name=borrower][value='" + record.data.borrower + "']");
        var item = document.createElement("li");
        item.className = "kept-here";
        item.dataset.added = "1";
        item.dataset.tool = code;
        var label = document.createElement("span");
        label.className = "code";
        label.textContent = code;
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = "— " + (borrower ? borrower.dataset.name + ", " : "") + state.dataset.savedHere;
        item.appendChild(label);
        item.appendChild(document.createTextNode(" " + (row ? row.dataset.name : "") + " "));
        item.appendChild(meta);
        onLoan.insertBefore(item, empty);
        setStatus(row, state.dataset.lentHere);
      } else {
        rowsOf(onLoan, code).forEach(function (li) {
          if (li.dataset.added) { li.remove(); return; }
          li.hidden = true;
          li.dataset.hiddenHere = "1";
        });
        setStatus(row, state.dataset.backHere);
      }
    });
    if (empty) {
      empty.hidden = Array.prototype.some.call(onLoan.children, function (li) {
        return li !== empty && !li.hidden;
      });
    }
  }
})();

/* Scanning: at the counter, a tool's QR label is scanned with the phone's camera, where the
   browser has BarcodeDetector (Chrome on Android). Elsewhere the code is typed; the button
   stays hidden. */
(function () {
  "use strict";
  if (!("BarcodeDetector" in window)) return;
  // How often a video frame is checked for a code.
  var SCAN_EVERY_MS = 300;

  function scanInto(input, video) {
    var detector = new window.BarcodeDetector({formats: ["qr_code"]});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var timer = window.setInterval(function () {
        detector.detect(video).then(function (codes) {
          if (!codes.length) return;
          input.value = codes[0].rawValue.trim().toUpperCase();
          input.dispatchEvent(new Event("change", {bubbles: true}));
          stop();
        }).catch(stop);
      }, SCAN_EVERY_MS);
      function stop() {
        window.clearInterval(timer);
        stream.getTracks().forEach(function (track) { track.stop(); });
        video.hidden = true;
        input.focus();
      }
    }).catch(function () { input.focus(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var video = document.getElementById("scanner");
    var buttons = document.querySelectorAll("[data-scan]");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      button.hidden = false;
      button.addEventListener("click", function (event) {
        scanInto(document.getElementById(event.currentTarget.dataset.scan), video);
      });
    }
  });
})();
