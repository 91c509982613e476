// The "problem it solves" field only matters for a solution: hide it for a problem report.
(function () {
  const kind = document.getElementById("id_kind");
  const solves = document.getElementById("id_solves");
  if (!kind || !solves) return;
  const wrapper = solves.closest(".mb-3");
  const sync = () => wrapper.classList.toggle("d-none", kind.value !== "solution" && !solves.value);
  kind.addEventListener("change", sync);
  sync();
})();
