/* Volunteering in the page: check-ins made offline get their check-out, a shared phone forgets
   the volunteer after each use, a receipt photo is made small on the phone, and a claim refused
   for its size can be sent again with a smaller photo or without it. */
(function () {
  "use strict";
  var outbox = window.PeermOutbox;
  // What the server refuses a receipt for; `too_large` is a whole action over the limit.
  var TOO_LARGE = ["too_large", "receipt_too_large"];
  // How long a shared phone shows the answer before it forgets it.
  var KIOSK_RESULT_MS = 6000;

  function config() {
    try { return JSON.parse(document.body.dataset.config || "{}"); } catch (e) { return {}; }
  }

  /* Check-ins made on this phone that the page does not know yet get a check-out button. */
  outbox.onRecords(function (records) {
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
      section.querySelector("input[name=action_id]").value = outbox.newId();
      section.querySelector(".since").textContent = record.at.slice(11, 16);
      box.appendChild(section);
    });
    if (window.htmx) window.htmx.process(box);
  });

  /* A check-out made on this phone ends its shift here and now: the shift's card goes, and
     comes back only if the server refused the check-out. */
  outbox.onRecords(function (records) {
    var box = document.getElementById("open-shifts");
    if (!box) return;
    var ended = {};
    records.forEach(function (record) {
      if (record.type === "shift.checkout" && record.state !== "refused") ended[record.data.checkin] = true;
    });
    var inputs = box.querySelectorAll(".shift-open input[name=checkin]");
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].closest(".shift-open").hidden = !!ended[inputs[i].value];
    }
  });

  /* A shared phone forgets the volunteer right after each use. */
  outbox.onAnswer(function (answer, form) {
    if (!form.hasAttribute("data-kiosk")) return;
    form.reset();
    var result = document.getElementById("kiosk-result");
    window.setTimeout(function () { if (result) result.textContent = ""; }, KIOSK_RESULT_MS);
  });

  /* A receipt photo is made smaller on the phone (JPEG, at most 1280 px, then smaller and
     coarser until it fits the server's limit, which the form carries as `data-max-bytes` and
     every page as `receiptMaxBytes` of its settings), so that it fits in the outbox and costs
     little data; the form then carries it as base64. */
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

  /* For a claim refused for its size: send it again with a smaller photo, or without. */
  outbox.waysOut("expense.claim", function (record, labels) {
    var data = record.data || {};
    if (!data.receipt || TOO_LARGE.indexOf(record.result && record.result.outcome) < 0) return [];
    function copy(receipt) {
      var again = {};
      for (var key in data) if (key !== "receipt") again[key] = data[key];
      if (receipt) again.receipt = receipt;
      return again;
    }
    return [
      {name: "send-smaller", label: labels.sendSmaller, run: function (button, status) {
        button.disabled = true;
        var maxBytes = Number(config().receiptMaxBytes) || 0;
        return shrinkPhoto(data.receipt, maxBytes).then(function (photo) {
          return outbox.sendAgain(record, copy(photo));
        }, function () {
          status.textContent = labels.cannotShrink;
        });
      }},
      {name: "send-without-photo", label: labels.sendWithout, quiet: true, run: function () {
        return outbox.sendAgain(record, copy(null));
      }}
    ];
  });
})();
