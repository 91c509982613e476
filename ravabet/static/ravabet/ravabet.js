// Shared behaviour, loaded on every page (no inline scripts: the CSP forbids them).
(function () {
  "use strict";

  function initDatePickers() {
    if (window.jalaliDatepicker) {
      window.jalaliDatepicker.startWatch({ persianDigits: true, time: false, hasSecond: false, autoReadOnlyInput: false });
    }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]")) {
      target.form.submit();
    }
  });

  // Ask before destructive or irreversible actions: <button data-confirm="...">
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // A form is submitted once: a second click while the first is on its way does nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1" && !form.hasAttribute("data-allow-resubmit")) {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    setTimeout(function () { form.dataset.submitted = ""; }, 8000);
  });

  document.addEventListener("DOMContentLoaded", initDatePickers);
  document.addEventListener("htmx:afterSettle", initDatePickers);
})();
