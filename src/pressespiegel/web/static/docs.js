// Starts Swagger UI (served from the swagger-ui-bundle package) on /openapi.json. A file, not an inline script:
// the Content-Security-Policy of the app allows scripts from the app itself only.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
