// Bar charts for each question on the results page; data comes from the json_script block.
(function () {
  const source = document.getElementById("survey-chart-data");
  if (!source || typeof Chart === "undefined") return;
  const toPersian = (value) => String(value).replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
  Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  for (const item of JSON.parse(source.textContent)) {
    const canvas = document.querySelector(`canvas[data-chart="${item.id}"]`);
    if (!canvas) continue;
    new Chart(canvas, {
      type: "bar",
      data: { labels: item.labels.map(toPersian), datasets: [{ label: item.series || "شمار پاسخ", data: item.counts, backgroundColor: "#0d6efd" }] },
      options: {
        indexAxis: "y", maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: false }, tooltip: { rtl: true, callbacks: { label: (c) => toPersian(c.raw) } } },
        scales: { x: { reverse: true, beginAtZero: true, ticks: { precision: 0, callback: (v) => toPersian(v) } }, y: { position: "right", ticks: { autoSkip: false } } },
      },
    });
  }
})();

// The cross-tab: one bar group per row answer, one coloured series per column answer.
(function () {
  const source = document.getElementById("survey-crosstab-data");
  const canvas = document.getElementById("crosstab-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const toPersian = (value) => String(value).replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
  const colours = ["#0d6efd", "#198754", "#ffc107", "#dc3545", "#6f42c1", "#20c997", "#fd7e14", "#6c757d"];
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels.map(toPersian), datasets: data.series.map((s, i) => ({ label: toPersian(s.label), data: s.counts, backgroundColor: colours[i % colours.length] })) },
    options: { maintainAspectRatio: false, animation: false, plugins: { legend: { rtl: true }, tooltip: { rtl: true } },
               scales: { x: { reverse: true }, y: { beginAtZero: true, ticks: { precision: 0, callback: (v) => toPersian(v) } } } },
  });
})();
