// The complaint form: "use my current location" fills the hidden latitude/longitude fields.
// Without JavaScript (or without permission) the district and address fields are enough.
(function () {
  "use strict";
  var button = document.querySelector("[data-geolocate]");
  var status = document.querySelector("[data-geo-status]");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  if (!button || !lat || !lng || !("geolocation" in navigator)) return;
  button.hidden = false;
  if (lat.value && lng.value) status.textContent = lat.value + ", " + lng.value;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting || "…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lng.value = position.coords.longitude.toFixed(6);
        status.textContent = lat.value + ", " + lng.value;
      },
      function () {
        status.textContent = button.dataset.failed || "×";
      },
      { enableHighAccuracy: true, timeout: 10000 }
    );
  });
})();
