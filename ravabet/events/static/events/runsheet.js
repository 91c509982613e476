// The event page's run-sheet (F2, issue 11): each row is read-only with «ویرایش», which loads that row's form
// in its place (htmx). A refused row (400) is drawn with its errors and what was typed — htmx leaves error
// answers undrawn unless told — and a saved row moves to its place by its order (rows being edited move
// with their typed values).
(function () {
  "use strict";
  function inRunSheet(element) {
    return element && element.closest && element.closest("#runsheet-rows");
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400 && inRunSheet(event.detail.elt)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
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
