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
      data: { labels: item.labels.map(toPersian), datasets: [{ label: "شمار پاسخ", data: item.counts, backgroundColor: "#0d6efd" }] },
      options: {
        indexAxis: "y", maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: false }, tooltip: { rtl: true, callbacks: { label: (c) => toPersian(c.raw) } } },
        scales: { x: { reverse: true, beginAtZero: true, ticks: { precision: 0, callback: (v) => toPersian(v) } }, y: { position: "right", ticks: { autoSkip: false } } },
      },
    });
  }
})();
