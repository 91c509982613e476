// The event page's run-sheet (F2, issue 11): each row is read-only with «ویرایش», which loads that row's form
// in its place (htmx). A refused row (400) is drawn with its errors and what was typed — htmx leaves error
// answers undrawn unless told — and a saved row moves to its place by its order (rows being edited move
// with their typed values). When the answer is not the row (the session ended and the login page came back,
// a server error, no network), the form stays as typed with a Persian message on it.
(function () {
  "use strict";
  function inRunSheet(element) {
    return element && element.closest && element.closest("#runsheet-rows");
  }

  function say(element, text) {
    var row = element.closest(".runsheet-row");
    if (!row) return;
    var box = row.querySelector(".runsheet-problem");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-warning py-2 my-2 runsheet-problem";
      box.setAttribute("role", "alert");
      row.prepend(box);
    }
    box.textContent = text;
  }

  var SIGNED_OUT = "ذخیره نشد: نشست شما پایان یافته است. در زبانه‌ای دیگر دوباره وارد شوید و سپس دوباره «ذخیره» را بزنید؛ آنچه نوشته‌اید همین‌جا مانده است.";
  var REFUSED = "ذخیره نشد: نشست شما پایان یافته یا این کار برایتان مجاز نیست. در زبانه‌ای دیگر دوباره وارد شوید و سپس دوباره «ذخیره» را بزنید؛ آنچه نوشته‌اید همین‌جا مانده است.";
  var FAILED = "این بند ذخیره نشد (خطای سامانه یا قطع شبکه). آنچه نوشته‌اید همین‌جا مانده است؛ کمی بعد دوباره «ذخیره» را بزنید.";

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (!inRunSheet(detail.elt)) return;
    var status = detail.xhr.status;
    var redirected = detail.xhr.responseURL && new URL(detail.xhr.responseURL).pathname !==
      new URL(detail.requestConfig.path, location.href).pathname;
    if (redirected) {
      detail.shouldSwap = false;
      say(detail.elt, SIGNED_OUT);
    } else if (status === 400) {
      detail.shouldSwap = true;
      detail.isError = false;
    } else if (status >= 300) {
      detail.shouldSwap = false;
      say(detail.elt, status === 403 ? REFUSED : FAILED);
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    if (inRunSheet(event.detail.elt)) say(event.detail.elt, FAILED);
  });

  function key(row) {
    return [Number(row.dataset.order) || 0, Number(row.dataset.pk) || 0];
  }

  document.addEventListener("htmx:afterSettle", function () {
    var list = document.getElementById("runsheet-rows");
    if (!list) return;
    var rows = Array.prototype.slice.call(list.children);
    var sorted = rows.slice().sort(function (a, b) {
      var x = key(a), y = key(b);
      return x[0] - y[0] || x[1] - y[1];
    });
    if (sorted.some(function (row, i) { return row !== rows[i]; })) {
      sorted.forEach(function (row) { list.appendChild(row); });
    }
  });
})();
