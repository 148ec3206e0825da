/* Decisions in the page: a block needs a reason (the field becomes required when "block" is
   chosen; the server checks it too), the outbox page says which proposal a vote was for, and a
   proposal's page shows what became of the votes this phone kept for it while offline. */
(function () {
  "use strict";
  var outbox = window.PeermOutbox;

  function reasonRule(form) {
    var reason = form.querySelector("textarea[name=reason]");
    var block = form.querySelector("input[name=choice][data-block]");
    if (reason && block) reason.required = block.checked;
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form.ballot");
    if (form && event.target.name === "choice") reasonRule(form);
  });

  if (!outbox) return;
  outbox.describe("vote.cast", function (record) {
    var title = document.querySelector("h1");
    var data = record.data || {};
    return data.reason ? String(data.reason).slice(0, 60) : (title ? "" : "#" + data.proposal);
  });

  /* A proposal's page: the votes kept on this phone for it, and their results once sent. */
  outbox.onRecords(function (records) {
    var input = document.querySelector("form.ballot input[name=proposal]");
    var box = document.getElementById("vote-outbox");
    if (!input || !box) return;
    var proposalId = Number(input.value);
    box.textContent = "";
    records.forEach(function (record) {
      if (record.type !== "vote.cast" || Number((record.data || {}).proposal) !== proposalId) return;
      if (!record.result && outbox.answeredHere(record.id)) return;
      var line = document.createElement("p");
      line.setAttribute("role", "status");
      if (record.result) {
        line.className = record.state === "refused" ? "error" : "flash";
        line.textContent = record.result.message;
        line.dataset.outcome = record.result.outcome || "";
        outbox.shown(record);
      } else {
        line.className = "flash flash--saved";
        line.dataset.outcome = "queued";
        line.textContent = box.dataset.waiting || "";
      }
      box.appendChild(line);
    });
  });
})();
