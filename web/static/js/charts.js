// Draws the staff workspace's charts with the vendored Chart.js, each from
// the JSON its canvas carries in data-chart (built by the server: type,
// labels, datasets, locale, direction). Every chart sits beside a table
// with the same figures, so without JavaScript nothing is lost. No inline
// script: the Content-Security-Policy allows scripts from this origin only.
(function () {
  "use strict";

  // Chart.js sizes a chart to its canvas's parent: a parent holding
  // anything else (a caption) or sized by the canvas makes the chart grow
  // without end. A canvas not yet alone in a fixed-height .chart-frame is
  // put in one (the templates already do it; a new chart is safe anyway).
  function framed(canvas) {
    var p = canvas.parentElement;
    if (p && p.classList.contains("chart-frame")) {
      return;
    }
    var f = document.createElement("div");
    f.className = "chart-frame";
    p.insertBefore(f, canvas);
    f.appendChild(canvas);
  }

  function draw(canvas) {
    var raw = canvas.getAttribute("data-chart");
    if (!raw || typeof Chart === "undefined") {
      return;
    }
    framed(canvas);
    var d = JSON.parse(raw);
    var old = Chart.getChart(canvas);
    if (old) {
      old.destroy();
    }
    var line = d.type === "line";
    var datasets = (d.datasets || []).map(function (s) {
      return {
        label: s.label,
        data: s.data,
        backgroundColor: s.colors && s.colors.length ? s.colors : s.color,
        borderColor: s.color || (s.colors && s.colors[0]),
        borderWidth: line ? 3 : 0,
        pointRadius: line ? 4 : 0,
        spanGaps: true
      };
    });
    var y = { beginAtZero: !line, position: d.rtl ? "right" : "left", ticks: { precision: 0 } };
    if (d.y_min !== undefined) { y.min = d.y_min; }
    if (d.y_max !== undefined) { y.max = d.y_max; }
    new Chart(canvas, {
      type: d.type,
      data: { labels: d.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale: d.locale,
        plugins: {
          legend: { display: !!d.legend, rtl: d.rtl, textDirection: d.rtl ? "rtl" : "ltr" },
          title: { display: !!d.title, text: d.title },
          tooltip: { rtl: d.rtl, textDirection: d.rtl ? "rtl" : "ltr" }
        },
        scales: { x: { reverse: d.rtl, grid: { display: false } }, y: y }
      }
    });
    canvas.setAttribute("data-drawn", "true");
  }

  function drawAll() {
    if (typeof Chart !== "undefined") {
      Chart.defaults.font.family = "Vazirmatn, system-ui, sans-serif";
      Chart.defaults.font.size = 14;
      Chart.defaults.color = "#1b1f24";
    }
    var cs = document.querySelectorAll("canvas.staff-chart[data-chart]");
    for (var i = 0; i < cs.length; i++) {
      draw(cs[i]);
    }
  }

  function start() {
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(drawAll, drawAll);
    } else {
      drawAll();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  document.addEventListener("htmx:afterSettle", start);
})();
