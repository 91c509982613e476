// Live count of the SMS length (title, newline, body) against the provider's maximum.
(function () {
  const note = document.getElementById("sms-length");
  const title = document.getElementById("id_title");
  const body = document.getElementById("id_body");
  if (!note || !title || !body) return;
  const max = Number(note.dataset.max);
  const original = note.textContent;
  const digits = (n) => String(n).replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
  function update() {
    const length = title.value.length + 1 + body.value.length;
    note.textContent = `${original} اکنون ${digits(length)} نویسه.`;
    note.classList.toggle("text-danger", length > max);
  }
  title.addEventListener("input", update);
  body.addEventListener("input", update);
  update();
})();

// People picker: a person ticked among the search results moves to the chosen list, so the next
// search (which replaces the results) keeps them; Enter in the search box searches, never sends.
(function () {
  const chosen = document.getElementById("people-chosen");
  const results = document.getElementById("people-results");
  const search = document.getElementById("people-q");
  if (!chosen || !results || !search) return;
  results.addEventListener("change", (event) => {
    const box = event.target;
    if (box.name !== "people" || !box.checked) return;
    const none = document.getElementById("people-none");
    if (none) none.remove();
    chosen.appendChild(box.closest(".form-check"));
  });
  search.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    search.dispatchEvent(new Event("search"));
  });
})();
