// Trend chart of HQ's evaluation; data from json_script (no inline JS under the CSP).
(function () {
  "use strict";
  var source = document.getElementById("evaluation-chart-data");
  var canvas = document.getElementById("trend-chart");
  if (!source || !canvas || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var persian = function (value) {
    return String(value).replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
  };
  var colours = ["#0b5c6b", "#4caf7d", "#e07b39", "#6f42c1", "#d63384", "#20c997", "#fd7e14", "#0d6efd"];
  window.Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.units.map(function (unit, index) {
        return { label: unit.name, data: unit.data, borderColor: colours[index % colours.length],
                 backgroundColor: colours[index % colours.length], tension: 0.2, hidden: index >= 8 };
      })
    },
    options: {
      maintainAspectRatio: false,
      // No drawing animation for those who ask the system for reduced motion (and the browser tests).
      animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : {},
      // Room for the newest period's name at the left end of the reversed axis (it was cut at 390 px);
      // names stay level and are skipped when they do not fit, rather than turned and cut.
      layout: { padding: { left: 36 } },
      plugins: { legend: { rtl: true, position: "bottom" },
                 tooltip: { rtl: true, callbacks: { label: function (item) {
                   return item.dataset.label + ": " + persian(item.formattedValue); } } } },
      scales: { x: { reverse: true, ticks: { maxRotation: 0, autoSkipPadding: 8 } }, y: { position: "right", min: 0, max: 100, ticks: { callback: persian } } }
    }
  });
}());
