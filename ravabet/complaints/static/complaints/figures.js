// Charts of the complaints figures page; data from json_script (no inline JS under the CSP).
(function () {
  "use strict";
  var source = document.getElementById("complaints-chart-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var persian = function (value) {
    return String(value).replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
  };
  var Chart = window.Chart;
  Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  var tooltip = { rtl: true, callbacks: { label: function (item) {
    return item.dataset.label + ": " + persian(item.formattedValue);
  } } };

  var trend = document.getElementById("trend-chart");
  if (trend && data.trend) {
    new Chart(trend, {
      type: "bar",
      data: {
        labels: data.trend.labels,
        datasets: [
          { label: "پرونده ثبت‌شده", data: data.trend.total, backgroundColor: "#0b5c6b" },
          { label: "پاسخ در مهلت", data: data.trend.in_time, backgroundColor: "#4caf7d" }
        ]
      },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { rtl: true, position: "bottom" }, tooltip: tooltip },
        scales: { x: { reverse: true }, y: { position: "right", beginAtZero: true, ticks: { precision: 0, callback: persian } } }
      }
    });
  }

  var units = document.getElementById("units-chart");
  if (units && data.units) {
    // One bar per unit: the box grows with the number of units (CSSOM, allowed by the CSP).
    units.parentNode.style.height = (data.units.labels.length * 30 + 50) + "px";
    new Chart(units, {
      type: "bar",
      data: {
        labels: data.units.labels,
        datasets: [{ label: "پاسخ در مهلت (درصد)", data: data.units.in_time, backgroundColor: "#0b5c6b" }]
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: tooltip },
        scales: {
          x: { reverse: true, min: 0, max: 100, ticks: { callback: function (v) { return persian(v) + "٪"; } } },
          y: { position: "right" }
        }
      }
    });
  }
})();
