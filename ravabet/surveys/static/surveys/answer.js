// Show a conditional question only while the earlier answer it depends on matches (the server checks
// the same rule when the answers are sent, so a page without script still works: it shows everything).
(function () {
  const form = document.querySelector(".survey-answer form");
  if (!form) return;
  const conditional = form.querySelectorAll("fieldset[data-show-if]");
  function chosen(name) {
    return Array.from(form.querySelectorAll(`[name="${name}"]:checked`)).map((input) => input.value);
  }
  function update() {
    conditional.forEach((fieldset) => {
      const source = document.getElementById("question-" + fieldset.dataset.showIf.slice(1));
      const wanted = fieldset.dataset.showValues.split(",");
      const shown = (!source || !source.hidden) && chosen(fieldset.dataset.showIf).some((v) => wanted.includes(v));
      fieldset.hidden = !shown;
    });
  }
  form.addEventListener("change", update);
  update();
})();
