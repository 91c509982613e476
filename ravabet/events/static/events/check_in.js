// Door check-in by the phone's camera (F5): frames of the back camera, or a photo of the card, are
// read by the vendored jsQR; a card's link fills the check-in form, which is then sent as if typed.
(function () {
  "use strict";
  var root = document.getElementById("camera-check-in");
  if (!root || typeof window.jsQR !== "function") return;
  var form = document.getElementById("check-in-form");
  var field = form && form.querySelector("[name=token]");
  var video = root.querySelector("video");
  var status = root.querySelector("[data-camera-status]");
  var startButton = root.querySelector("[data-camera-start]");
  var fileInput = root.querySelector("[data-camera-file]");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", {willReadFrequently: true});
  var stream = null;
  var done = false;

  function say(text) { if (status) status.textContent = text; }

  // The text of the QR code in an ImageData, or "" when none is found.
  function decode(imageData) {
    var code = window.jsQR(imageData.data, imageData.width, imageData.height, {inversionAttempts: "attemptBoth"});
    return code ? code.data : "";
  }

  function pixels(source, width, height) {
    canvas.width = width;
    canvas.height = height;
    context.drawImage(source, 0, 0, width, height);
    return context.getImageData(0, 0, width, height);
  }

  // A code found: put it in the form and send it (the server decides whether the card is valid).
  function found(text) {
    if (done || !text) return false;
    done = true;
    stop();
    field.value = text;
    say(root.dataset.foundText);
    form.requestSubmit ? form.requestSubmit() : form.submit();
    return true;
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
  }

  function tick() {
    if (!stream || done) return;
    if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth) {
      if (found(decode(pixels(video, video.videoWidth, video.videoHeight)))) return;
    }
    window.requestAnimationFrame(tick);
  }

  function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(root.dataset.noCameraText);
      return;
    }
    say(root.dataset.waitText);
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false}).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      video.play();
      say(root.dataset.scanningText);
      window.requestAnimationFrame(tick);
    }).catch(function () { say(root.dataset.deniedText); });
  }

  // A photo of the card (a phone without a usable camera stream, or a card sent as an image).
  function readFile() {
    var file = fileInput.files && fileInput.files[0];
    if (!file) return;
    var image = new Image();
    image.onload = function () {
      URL.revokeObjectURL(image.src);
      if (!found(decode(pixels(image, image.naturalWidth, image.naturalHeight)))) say(root.dataset.notFoundText);
    };
    image.src = URL.createObjectURL(file);
  }

  root.hidden = false;
  startButton.addEventListener("click", start);
  fileInput.addEventListener("change", readFile);
  window.ravabetCheckIn = {decode: decode, pixels: pixels, found: found};
})();
