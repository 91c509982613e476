// Instruction-item picker of plan items: filter the 36 items by code or word, count the chosen ones.
// Event delegation, so item forms added later by formset.js work too.
(function () {
  "use strict";
  function fold(text) {
    return (text || "").toLowerCase().replace(/ي/g, "ی").replace(/ك/g, "ک").replace(/\u200c/g, " ").replace(/\s+/g, " ");
  }
  function update(picker) {
    var chosen = Array.prototype.filter.call(picker.querySelectorAll("input[type=checkbox]"), function (box) { return box.checked; })
      .map(function (box) { return box.value; });
    var count = picker.querySelector("[data-code-count]");
    if (count) { count.textContent = chosen.length ? "برگزیده: " + chosen.join("، ") : "هیچ بندی برگزیده نشده"; }
  }
  function filter(picker, query) {
    var q = fold(query).trim();
    picker.querySelectorAll(".code-group").forEach(function (group) {
      var shown = 0;
      group.querySelectorAll(".code-option").forEach(function (option) {
        var box = option.querySelector("input");
        var match = !q || fold(option.textContent).indexOf(q) !== -1 || (box && box.checked);
        option.hidden = !match;
        if (match) { shown += 1; }
      });
      group.hidden = shown === 0;
    });
  }
  document.addEventListener("input", function (event) {
    var input = event.target.closest && event.target.closest("[data-code-filter]");
    if (input) { filter(input.closest("[data-code-picker]"), input.value); }
  });
  document.addEventListener("change", function (event) {
    var picker = event.target.closest && event.target.closest("[data-code-picker]");
    if (picker && event.target.type === "checkbox") { update(picker); }
  });
  // Enter in the filter box must not submit the whole plan.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-code-filter]")) { event.preventDefault(); }
  });
  function init(root) { root.querySelectorAll("[data-code-picker]").forEach(update); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-formset-add]")) { setTimeout(function () { init(document); }, 0); }
  });
})();
