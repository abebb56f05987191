// The API documentation page (templates/api/docs.html). Swagger UI gives each opened operation's
// responses table role="region" without a name: two open operations make two landmarks no one
// can tell apart. Each gets the name of its operation.
(function () {
  "use strict";
  function nameRegions() {
    document.querySelectorAll(".responses-table[role=region]:not([aria-label])").forEach(function (table) {
      var operation = table.closest(".opblock");
      var summary = operation && operation.querySelector(".opblock-summary-method");
      var path = operation && operation.querySelector(".opblock-summary-path");
      var name = summary && path ? summary.textContent + " " + path.textContent : "";
      table.setAttribute("aria-label", "Réponses " + name.trim());
    });
  }
  new MutationObserver(nameRegions).observe(document.getElementById("swagger-ui"), {
    childList: true,
    subtree: true,
  });
})();
