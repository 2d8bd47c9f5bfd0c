// Draws every <canvas data-chart="ID"> from the JSON in <script id="ID" type="application/json">
// (written by Django's json_script). No inline script: the page's CSP forbids it.
(function () {
  "use strict";
  var COLOURS = ["#0b5560", "#c05621", "#6b46c1", "#2f855a", "#b83280", "#2b6cb0", "#975a16", "#4a5568"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined" || canvas.dataset.drawn) return;
    canvas.dataset.drawn = "1";
    var spec = JSON.parse(source.textContent);
    var unit = spec.unit || "";
    var datasets = spec.datasets.map(function (d, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: d.label,
        data: d.data,
        borderColor: colour,
        backgroundColor: spec.type === "line" ? colour : colour + "cc",
        spanGaps: true,
        tension: 0.2,
        pointRadius: 3,
      };
    });
    var scale = { beginAtZero: true, ticks: { callback: function (v) { return v + unit; } } };
    if (spec.suggestedMax) scale.suggestedMax = spec.suggestedMax;
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: scale },
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
      },
    });
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// A print button without an inline handler.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});
