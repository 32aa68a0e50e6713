// Camera check-in: read the ticket's QR code with the phone camera (jsQR), then submit the code
// through the same form staff type into. Needs HTTPS (or localhost) for camera access.
(function () {
  "use strict";
  var box = document.querySelector("[data-scanner]");
  if (!box || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof jsQR !== "function") {
    return;
  }
  box.hidden = false;
  var video = box.querySelector("video");
  var canvas = box.querySelector("canvas");
  var ctx = canvas.getContext("2d", { willReadFrequently: true });
  var startBtn = box.querySelector("[data-scan-start]");
  var stopBtn = box.querySelector("[data-scan-stop]");
  var status = box.querySelector("[data-scan-status]");
  var stream = null;
  var lastCode = "";
  var lastAt = 0;

  function submitCode(code) {
    var form = document.querySelector("[data-checkin-form]");
    if (!form) { return; }
    form.querySelector("input[name=code]").value = code;
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function tick() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var found = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      // The same ticket stays in front of the camera for a while: submit it once, not per frame.
      if (found && found.data && (found.data !== lastCode || now - lastAt > 4000)) {
        lastCode = found.data;
        lastAt = now;
        status.textContent = found.data;
        submitCode(found.data);
      }
    }
    window.requestAnimationFrame(tick);
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
    stopBtn.hidden = true;
    startBtn.hidden = false;
  }

  startBtn.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        video.play();
        startBtn.hidden = true;
        stopBtn.hidden = false;
        status.textContent = "";
        window.requestAnimationFrame(tick);
      })
      .catch(function (error) { status.textContent = String(error && error.message || error); });
  });
  stopBtn.addEventListener("click", stop);
})();
