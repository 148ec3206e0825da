/* Needs in the page: the outbox page says what an "I can help" answer offered, and a need's page
   shows what became of the answers this phone made for it, in a box of its own (the answer to
   the form is htmx's to show, in another): kept on the phone, then thanked once sent. */
(function () {
  "use strict";
  var outbox = window.PeermOutbox;
  if (!outbox) return;

  outbox.describe("need.respond", function (record) {
    var data = record.data || {};
    return [data.offer, data.amount, data.name].filter(Boolean).join(" · ");
  });

  outbox.onRecords(function (records) {
    var field = document.querySelector("form[data-offline='need.respond'] input[name=need]");
    var box = document.getElementById("help-outbox");
    if (!box) return;
    var needId = Number(field ? field.value : box.dataset.need);
    box.textContent = "";
    records.forEach(function (record) {
      if (record.type !== "need.respond" || Number((record.data || {}).need) !== needId) return;
      var line = outbox.statusLine(record, (box.dataset.waiting || "") + " " + (record.data.offer || ""));
      if (!line) return;
      box.appendChild(line);
    });
  });
}());
