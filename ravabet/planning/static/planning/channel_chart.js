// Trend of a channel's monthly figures; the data comes from a json_script element (no inline JS under the CSP).
(function () {
  "use strict";
  var source = document.getElementById("channel-chart-data");
  var canvas = document.getElementById("channel-chart");
  if (!source || !canvas || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var persian = function (value) {
    return String(value).replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
  };
  window.Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: "مطالب", data: data.posts, borderColor: "#0b5c6b", backgroundColor: "#0b5c6b", yAxisID: "y" },
        { label: "اعضا", data: data.members, borderColor: "#d97706", backgroundColor: "#d97706", yAxisID: "y1" },
        { label: "بازدید", data: data.views, borderColor: "#6f42c1", backgroundColor: "#6f42c1", yAxisID: "y1" }
      ]
    },
    options: {
      maintainAspectRatio: false,
      locale: "fa-IR",
      plugins: { legend: { rtl: true, position: "bottom" }, tooltip: { rtl: true } },
      scales: {
        x: { reverse: true },
        y: { position: "right", beginAtZero: true, ticks: { callback: persian } },
        y1: { position: "left", beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { callback: persian } }
      }
    }
  });
})();
