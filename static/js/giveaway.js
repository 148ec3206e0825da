/* The give-away shop in the page: a photo is made small on the phone (a canvas, JPEG, at most
   800 px, then smaller and coarser until it fits the server's limit, which the file input
   carries as `data-max-bytes`) and sent as a data URL in the form's hidden `photo` field, so
   that it fits in the outbox and costs little data; an offer that was sent or kept on the phone
   clears its form; a destructive button (`data-confirm` on its form) asks first. */
(function () {
  "use strict";
  var outbox = window.PeermOutbox;
  var PHOTO_STEPS = [[800, 0.7], [800, 0.55], [640, 0.5], [480, 0.45], [360, 0.4]];
  var SENT = ["offered", "queued"];

  /* How many bytes a base64 data URL stands for. */
  function dataUrlBytes(url) {
    var base64 = url.slice(url.indexOf(",") + 1);
    var padding = base64.slice(-2) === "==" ? 2 : base64.slice(-1) === "=" ? 1 : 0;
    return Math.floor(base64.length * 3 / 4) - padding;
  }

  /* A JPEG data URL of the image at `source` within `maxBytes`; rejects with "not_image" or
     "too_large". */
  function shrink(source, maxBytes) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () {
        for (var i = 0; i < PHOTO_STEPS.length; i++) {
          var scale = Math.min(1, PHOTO_STEPS[i][0] / Math.max(image.width, image.height));
          var canvas = document.createElement("canvas");
          canvas.width = Math.max(1, Math.round(image.width * scale));
          canvas.height = Math.max(1, Math.round(image.height * scale));
          var context = canvas.getContext("2d");
          // JPEG has no transparency: a white background instead of black.
          context.fillStyle = "#fff";
          context.fillRect(0, 0, canvas.width, canvas.height);
          context.drawImage(image, 0, 0, canvas.width, canvas.height);
          var url = canvas.toDataURL("image/jpeg", PHOTO_STEPS[i][1]);
          if (!maxBytes || dataUrlBytes(url) <= maxBytes) return resolve(url);
        }
        reject(new Error("too_large"));
      };
      image.onerror = function () { reject(new Error("not_image")); };
      image.src = source;
    });
  }

  function clearPhoto(form) {
    var file = form.querySelector("input[type=file][data-photo-for]");
    if (!file) return;
    var target = document.getElementById(file.dataset.photoFor);
    var preview = document.getElementById("photo-preview");
    var status = document.getElementById("photo-status");
    file.value = "";
    if (target) target.value = "";
    if (preview) { preview.hidden = true; preview.removeAttribute("src"); }
    if (status) status.textContent = "";
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-photo-for]")) return;
    var target = document.getElementById(input.dataset.photoFor);
    var preview = document.getElementById("photo-preview");
    var status = document.getElementById("photo-status");
    var file = input.files && input.files[0];
    target.value = "";
    if (preview) preview.hidden = true;
    if (status) status.textContent = "";
    if (!file) return;
    var url = URL.createObjectURL(file);
    if (window.PeermWork) window.PeermWork.begin();
    shrink(url, Number(input.dataset.maxBytes) || 0).then(function (photo) {
      target.value = photo;
      if (preview) { preview.src = photo; preview.hidden = false; }
      if (status) status.textContent = Math.round(dataUrlBytes(photo) / 1024) + " KB";
    }, function (error) {
      if (status) {
        status.textContent = (error.message === "too_large" ? input.dataset.tooLarge
                                                             : input.dataset.notImage) || "";
      }
      input.value = "";
    }).then(function () {
      URL.revokeObjectURL(url);
      if (window.PeermWork) window.PeermWork.end();
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  if (!outbox) return;
  outbox.onAnswer(function (answer, form) {
    if (form.dataset.offline !== "gift.offer" || !answer || SENT.indexOf(answer.outcome) < 0) return;
    form.reset();
    clearPhoto(form);
    // A hidden field's reset keeps its value, but the next offer must be another action.
    var idInput = form.querySelector("input[name=action_id]");
    if (idInput) idInput.value = outbox.newId();
  });

  outbox.describe("gift.offer", function (record) { return (record.data || {}).title || ""; });

  /* A post's page shows what became of this phone's requests for it, and the offer form what
     became of the offers made on this phone, each in a box of its own (`data-type`, and for a
     post `data-gift`): saved and waiting, or the server's answer once it came. */
  outbox.onRecords(function (records) {
    var boxes = document.querySelectorAll("[data-gift-outbox]");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var type = box.dataset.giftOutbox;
      var gift = Number(box.dataset.gift || 0);
      box.textContent = "";
      records.forEach(function (record) {
        if (record.type !== type || (gift && Number((record.data || {}).gift) !== gift)) return;
        var line = outbox.statusLine(
          record, (box.dataset.waiting || "") + " " + ((record.data || {}).title || ""));
        if (!line) return;
        box.appendChild(line);
      });
    }
  });
})();
