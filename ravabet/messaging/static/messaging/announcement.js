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
