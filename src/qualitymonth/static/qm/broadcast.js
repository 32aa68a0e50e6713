// The brand-story broadcast: show one story at a time; a video advances when it ends, a text
// story after data-seconds. Without JavaScript the page simply lists every story.
(function () {
  "use strict";
  var root = document.querySelector("[data-broadcast]");
  if (!root) return;
  var items = Array.prototype.slice.call(root.querySelectorAll("[data-item]"));
  var prev = document.querySelector("[data-prev]");
  var next = document.querySelector("[data-next]");
  var seconds = parseInt(root.getAttribute("data-seconds"), 10) || 20;
  var current = 0;
  var timer = null;
  if (!items.length) return;
  prev.hidden = false;
  next.hidden = false;

  function show(index) {
    clearTimeout(timer);
    items.forEach(function (item, n) {
      var video = item.querySelector("[data-video]");
      item.hidden = n !== index;
      if (video && n !== index) video.pause();
    });
    current = index;
    var video = items[index].querySelector("[data-video]");
    if (video) {
      video.onended = function () { show((current + 1) % items.length); };
      var playing = video.play();
      if (playing && playing.catch) playing.catch(function () {});
    } else {
      timer = setTimeout(function () { show((current + 1) % items.length); }, seconds * 1000);
    }
  }
  next.addEventListener("click", function () { show((current + 1) % items.length); });
  prev.addEventListener("click", function () { show((current - 1 + items.length) % items.length); });
  show(0);
})();
