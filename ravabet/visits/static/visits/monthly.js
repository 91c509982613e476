// Progress bars take their width from data-percent (CSP forbids style attributes in the markup).
document.querySelectorAll(".visit-progress[data-percent]").forEach((bar) => {
  bar.style.width = `${Math.min(100, Number(bar.dataset.percent) || 0)}%`;
});
