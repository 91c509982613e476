// The desk's "select all" box; delegated so it keeps working after htmx swaps the queue.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box.id !== "select-all") return;
  document.querySelectorAll('#queue input[name="ids"]').forEach((item) => { item.checked = box.checked; });
});
