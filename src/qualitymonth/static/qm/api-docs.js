// The API documentation page (/api/docs): starts Swagger UI from our own copy of
// swagger-ui-dist. The settings come from data attributes because the CSP refuses inline script.
(function () {
  "use strict";
  var box = document.getElementById("swagger-ui");
  if (!box || typeof SwaggerUIBundle !== "function") {
    return; // the bundle is missing (npm was not available at build time): the link stays
  }
  var csrfToken = box.dataset.csrfToken;
  SwaggerUIBundle({
    url: box.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // The online validator badge would load an image from validator.swagger.io (CSP: img-src).
    validatorUrl: null,
    requestInterceptor: function (request) {
      // Unsafe requests sent with the session cookie must carry the CSRF token.
      if (csrfToken) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    }
  });
})();
