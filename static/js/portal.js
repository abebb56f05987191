// Keyboard and screen-reader users keep their place when htmx replaces part of a page after an
// action (POST): an error in the answer is focused, so it is read at once, and focus never falls
// back to <body> when the element that held it was replaced.
(function () {
  "use strict";
  var ERROR = "[aria-invalid=true], .fr-input-group--error input, .fr-input-group--error select, " +
    ".fr-input-group--error textarea, .fr-select-group--error select, [role=alert]";

  function focus(element) {
    if (!element.matches("input, select, textarea, button, a, summary")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !document.body.contains(target)) target = document.getElementById(event.detail.target && event.detail.target.id);
    if (!target) return;
    // Polls (GET: progress bars, the present counter) never move the focus.
    if (!event.detail.requestConfig || event.detail.requestConfig.verb !== "post") return;
    var error = target.querySelector(ERROR);
    if (error) {
      focus(error);
    } else if (!document.activeElement || document.activeElement === document.body) {
      focus(target);
    }
  });
})();
