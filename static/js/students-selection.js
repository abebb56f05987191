// Élèves list: "Sélectionner tous les élèves de la page" ticks or unticks every row shown.
(function () {
  var pageBox = document.querySelector("[data-select-page]");
  if (!pageBox) {
    return;
  }
  var rows = Array.prototype.slice.call(
    document.querySelectorAll('#students-selection input[name="student_ids"]')
  );
  pageBox.addEventListener("change", function () {
    rows.forEach(function (box) {
      box.checked = pageBox.checked;
    });
  });
  rows.forEach(function (box) {
    box.addEventListener("change", function () {
      pageBox.checked = rows.length > 0 && rows.every(function (other) {
        return other.checked;
      });
    });
  });
})();
