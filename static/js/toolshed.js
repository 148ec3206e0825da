/* The tool library in the page: at the counter, a tool's QR label is scanned with the phone's
   camera, where the browser has BarcodeDetector (Chrome on Android). Elsewhere the code is
   typed; the button stays hidden. */
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
