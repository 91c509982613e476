// Show a conditional question or page only while the earlier answer it depends on matches (the server
// checks the same rule when the answers are sent, so a page without script still works: it shows
// everything). A question on a hidden page is hidden with it, and a hidden question counts as unanswered.
(function () {
  const form = document.querySelector(".survey-answer form");
  if (!form) return;
  const conditional = form.querySelectorAll("[data-show-if]");
  function chosen(name) {
    return Array.from(form.querySelectorAll(`[name="${name}"]:checked`)).map((input) => input.value);
  }
  function update() {
    conditional.forEach((part) => {
      const source = document.getElementById("question-" + part.dataset.showIf.slice(1));
      const wanted = part.dataset.showValues.split(",");
      const shown = (!source || !source.closest("[hidden]")) && chosen(part.dataset.showIf).some((v) => wanted.includes(v));
      part.hidden = !shown;
    });
  }
  form.addEventListener("change", update);
  update();
})();
