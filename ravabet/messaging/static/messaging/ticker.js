// Live count of a ticker text against the limit of the chosen medium (TV crawl, screen, letterhead).
(function () {
  const note = document.getElementById("ticker-count");
  const kind = document.getElementById("id_kind");
  const text = document.getElementById("id_text");
  if (!note || !kind || !text) return;
  const limits = JSON.parse(note.dataset.limits);
  const digits = (n) => String(n).replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
  function update() {
    const limit = limits[kind.value];
    const length = text.value.trim().length;
    const over = length > limit;
    note.textContent = `${digits(length)} از ${digits(limit)} نویسه` +
      (over ? `؛ ${digits(length - limit)} نویسه بیش از سقف است.` : ".");
    note.classList.toggle("text-danger", over);
    text.classList.toggle("is-invalid", over);
  }
  kind.addEventListener("change", update);
  text.addEventListener("input", update);
  update();
})();
