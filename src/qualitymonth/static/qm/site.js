// Small enhancements; every page works without them.
(function () {
  "use strict";
  // Ask before destructive actions (forms carrying data-confirm). Without JavaScript the
  // same actions still need a reason typed into the form or a confirmation page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // htmx swaps on 4xx answers too: our forms return 400/409 with the errors to show.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
