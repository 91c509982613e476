// Shared behaviour, loaded on every page (no inline scripts: the CSP forbids them).
(function () {
  "use strict";

  function initDatePickers() {
    if (window.jalaliDatepicker) {
      // Time on for every box; a date box carries data-jdp-only-date (set below for any box without
      // data-jdp-time), so date-time boxes get hour and minute lists and a pick gives «1405/09/15 14:30».
      window.jalaliDatepicker.startWatch({ persianDigits: true, time: true, hasSecond: false, autoReadOnlyInput: false,
                                           showCloseBtn: true });
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


  // Digits: people may type Persian, Arabic or Latin digits; boxes show Persian ones (issue 12).
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  function toPersian(text) {
    return String(text).replace(/[0-9]/g, function (d) { return PERSIAN[d]; })
      .replace(/[٠-٩]/g, function (d) { return PERSIAN[d.charCodeAt(0) - 0x0660]; });
  }
  function toLatin(text) {
    return String(text).replace(/[۰-۹]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); })
      .replace(/[٠-٩]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); });
  }
  // Digits map one to one, so the selection survives the swap: a box entered with Tab (all selected)
  // is still replaced by what is typed next, not appended to.
  function swapDigits(target, value) {
    if (value === target.value) { return; }
    var start = target.selectionStart, end = target.selectionEnd;
    target.value = value;
    if (start !== null && document.activeElement === target) { target.setSelectionRange(start, end); }
  }
  // The date picker reads Latin digits: give it Latin ones while the box has focus, Persian ones after.
  // A box entered from the keyboard has its date selected, as browsers do, so typing replaces it.
  var pressed = null, pickerBox = null;  // pickerBox: the last date box entered, the one the picker serves
  document.addEventListener("pointerdown", function (event) { pressed = event.target; }, true);
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target.matches && target.matches("input[data-jdp]:not([data-jdp-time]):not([data-jdp-only-date])")) {
      target.setAttribute("data-jdp-only-date", "");
    }
    if (target.matches && target.matches("input[data-jdp]")) { pickerBox = target; }
    if (target.matches && target.matches("input[data-jdp]") && target.value) {
      swapDigits(target, toLatin(target.value));
      if (pressed !== target) { target.select(); }
    }
    pressed = null;
  }, true);
  function showPersian(target) {
    if (!target.matches || !target.value) { return; }
    if (target.matches("input[data-jdp]")) {
      target.value = toPersian(target.value);
    } else if (target.matches("input[data-number]")) {
      var value = toPersian(target.value);
      if (target.getAttribute("data-number") === "decimal") { value = value.replace(/(\d|[۰-۹])\.(?=[۰-۹])/g, "$1٫"); }
      target.value = value;
    }
  }
  document.addEventListener("focusout", function (event) { showPersian(event.target); });
  // The picker reads the box again when its day, hour or minute is changed, and it reads Latin digits only:
  // the box it serves gets Latin digits just before (capture phase), and Persian ones once the picker has
  // finished redrawing (it reads the box's time for its hour and minute lists), unless the box has the focus.
  ["pointerdown", "mousedown", "click", "change", "keydown"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (pickerBox && event.target.closest && event.target.closest("jdp-container")) {
        swapDigits(pickerBox, toLatin(pickerBox.value));
      }
    }, true);
  });
  // The picker draws its year, month, hour and minute lists without names; screen readers (and axe) need one.
  var PICKER_LISTS = [[".jdp-year select", "سال"], [".jdp-month select", "ماه"],
                      [".jdp-time:last-child select", "ساعت"], [".jdp-time:first-child select", "دقیقه"]];
  if (window.MutationObserver) {
    new MutationObserver(function () {
      if (!document.querySelector("jdp-container select:not([aria-label])")) { return; }
      PICKER_LISTS.forEach(function (pair) {
        document.querySelectorAll("jdp-container " + pair[0]).forEach(function (list) {
          list.setAttribute("aria-label", pair[1]);
        });
      });
    }).observe(document.documentElement, { childList: true, subtree: true });
  }
  document.addEventListener("jdp:change", function (event) {
    var target = event.target;
    setTimeout(function () {
      if (document.activeElement !== target) { showPersian(target); }
    }, 0);
  });

  // Long text: a live counter instead of a maxlength that silently cuts pasted text; the server refuses
  // text over the limit with a Persian message and keeps what was typed.
  // A count as the server writes it (lib.digits.format_number): Persian digits, «٬» between thousands.
  function count(number) {
    return toPersian(String(number).replace(/\B(?=(\d{3})+(?!\d))/g, "\u066c"));
  }
  function updateCounter(field) {
    var counter = field._counter;
    var limit = parseInt(field.getAttribute("data-max-length"), 10);
    var length = Array.from(field.value).length;
    counter.textContent = count(length) + " از " + count(limit) + " نویسه" +
      (length > limit ? " — " + count(length - limit) + " نویسه بیش از اندازه" : "");
    counter.classList.toggle("text-danger", length > limit);
    counter.classList.toggle("text-muted", length <= limit);
    field.classList.toggle("is-invalid", length > limit);
  }
  function initCounters(root) {
    (root || document).querySelectorAll("[data-max-length]").forEach(function (field) {
      if (field._counter) { return; }
      var counter = document.createElement("div");
      counter.className = "form-text char-counter text-muted";
      counter.setAttribute("aria-live", "polite");
      if (field.id) { counter.id = field.id + "-counter"; }
      // After the input group (a box with its button) rather than inside it.
      (field.closest(".input-group") || field).insertAdjacentElement("afterend", counter);
      field._counter = counter;
      updateCounter(field);
    });
  }
  document.addEventListener("input", function (event) {
    if (event.target._counter) { updateCounter(event.target); }
  });
  document.addEventListener("DOMContentLoaded", function () { initCounters(document); });
  document.addEventListener("htmx:afterSettle", function (event) { initCounters(event.target); });

  document.addEventListener("DOMContentLoaded", initDatePickers);
  document.addEventListener("htmx:afterSettle", initDatePickers);
})();
