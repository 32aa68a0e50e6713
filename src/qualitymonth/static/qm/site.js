// Small enhancements; every page works without them.
(function () {
  "use strict";
  // Ask before destructive actions (forms carrying data-confirm). Without JavaScript the
  // same actions still need a reason typed into the form or a confirmation page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // On the form, or on the button that sent it (one form, several decisions).
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) ||
      (form.getAttribute && form.getAttribute("data-confirm"));
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // htmx swaps on these 4xx answers too: our forms and the vote button return the message to show.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 403 || status === 409 || status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
