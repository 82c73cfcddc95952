// Draws the comparison's bar chart from the JSON the page puts in the
// canvas's data-chart attribute, with the vendored Chart.js. (An attribute,
// not a <script type="application/json"> block, so that a comparison htmx
// swaps in brings its data along: htmx drops script elements from swapped
// content.) The page's counts
// table holds the same figures, so without JavaScript nothing is lost.
// No inline script: the Content-Security-Policy allows scripts from this
// origin only.
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

  function draw() {
    var canvas = document.getElementById("compare-chart");
    if (!canvas || !canvas.getAttribute("data-chart") || typeof Chart === "undefined") {
      return;
    }
    framed(canvas);
    var d = JSON.parse(canvas.getAttribute("data-chart"));
    var old = Chart.getChart(canvas);
    if (old) {
      old.destroy();
    }
    Chart.defaults.font.family = "Vazirmatn, system-ui, sans-serif";
    Chart.defaults.font.size = 14;
    Chart.defaults.color = "#1b1f24";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: d.labels,
        datasets: [{ label: d.title, data: d.values, backgroundColor: d.colors, borderWidth: 0 }]
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale: d.locale,
        plugins: {
          legend: { display: false },
          tooltip: { rtl: d.rtl, textDirection: d.rtl ? "rtl" : "ltr" }
        },
        scales: {
          x: { reverse: d.rtl, grid: { display: false } },
          y: { beginAtZero: true, position: d.rtl ? "right" : "left", ticks: { precision: 0 } }
        }
      }
    });
    canvas.setAttribute("data-drawn", "true");
  }

  function start() {
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(draw, draw);
    } else {
      draw();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // A comparison swapped in by htmx (the from/to form) brings new data.
  document.addEventListener("htmx:afterSettle", start);
})();
