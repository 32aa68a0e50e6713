// The countdown shows the server's remaining time; the server alone decides what counts.
(function () {
  "use strict";
  var timer = document.querySelector(".timer[data-remaining]");
  if (!timer) { return; }
  var deadline = Date.now() + parseInt(timer.getAttribute("data-remaining"), 10) * 1000;
  function show() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    timer.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    timer.classList.toggle("low", left <= 60);
    if (left <= 0) {
      window.location.href = timer.getAttribute("data-expired-url");
      return;
    }
    window.setTimeout(show, 500);
  }
  show();
})();
