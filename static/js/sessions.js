// Sessions: "cocher tout" for the students list (progressive enhancement, no inline script).
document.addEventListener("change", (event) => {
  const master = event.target.closest("[data-check-all]");
  if (!master) return;
  const name = master.getAttribute("data-check-all");
  for (const box of master.form.querySelectorAll(`input[type=checkbox][name="${name}"]`)) {
    box.checked = master.checked;
  }
});
