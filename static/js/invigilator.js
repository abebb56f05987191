// Espace surveillant: an action sent after the login lapsed (or while the network is down) is
// never dropped silently. The server answers with a login box (HX-Trigger invigilatorSessionLost);
// what the invigilator had ticked stays ticked, and is sent again once they are reconnected.
(function () {
  "use strict";
  var pending = [];
  var box = function () { return document.getElementById("connexion-perdue"); };

  document.body.addEventListener("invigilatorSessionLost", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form && pending.indexOf(form) === -1) pending.push(form);
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var target = box();
    if (!target || event.detail.target !== target) return;
    var number = target.querySelector("input[name=session_number]");
    if (number && !number.value) number.value = target.dataset.sessionNumber;
    var password = target.querySelector("input[name=password]");
    if (password) password.focus();
  });

  document.body.addEventListener("invigilatorReconnected", function () {
    var first = null;
    pending.forEach(function (form) {
      if (!document.body.contains(form)) return;
      first = first || form.querySelector("input:not([type=hidden]), button");
      htmx.trigger(form, form.getAttribute("hx-trigger") || "submit");
    });
    pending = [];
    if (first) first.focus();
  });

  function failed(event) {
    var target = box();
    if (!target) return;
    target.innerHTML = "";
    var alert = document.createElement("div");
    alert.className = "fr-alert fr-alert--error fr-alert--sm fr-mb-2w";
    alert.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = "Non enregistré : le serveur ne répond pas. Vérifiez la connexion au réseau, puis recommencez.";
    alert.appendChild(text);
    target.appendChild(alert);
  }
  document.body.addEventListener("htmx:sendError", failed);
  document.body.addEventListener("htmx:responseError", failed);
})();
