// Draws every <figure class="plot" data-preview="..."> of a page with uPlot, from the run's preview JSON:
// a min/max band per bucket (never the raw samples), axis labels with units, zoom by dragging (double-click to
// zoom out), the values under the cursor, the width of its column.
//
// A figure with data-live="..." follows the run's server-sent events: "progress" updates the page's
// #run-progress, #run-progress-text and #run-status, "preview" redraws the plot from the station's live
// preview, and "end" loads the preview of the closed file and fires "run-ended" on <body> (htmx then swaps in
// the run's final state; "run-started" likewise when a station takes a queued run).
(function () {
  "use strict";

  var PREFIXES = { "-15": "f", "-12": "p", "-9": "n", "-6": "µ", "-3": "m", "0": "", "3": "k", "6": "M", "9": "G" };
  var HEIGHT = 320;
  var STROKE = "#1f4e8c";
  var BAND = "rgba(31, 78, 140, 0.22)";
  // The canvas draws its own text: the page's Hangul font, else axis labels in Korean are empty boxes.
  var FONT = '12px "Labsys Gothic", "Noto Sans KR", system-ui, sans-serif';
  var LABEL_FONT = 'bold 12px "Labsys Gothic", "Noto Sans KR", system-ui, sans-serif';

  function exponentOf(magnitude) {
    // As the lab's reports print values: 0.01 to 99,999 as they are, else with an SI prefix.
    if (!isFinite(magnitude) || magnitude === 0 || (magnitude >= 0.01 && magnitude < 1e5)) return 0;
    return Math.max(-15, Math.min(9, 3 * Math.floor(Math.log10(magnitude) / 3)));
  }

  function scaled(value, exponent) {
    return String(Number((value / Math.pow(10, exponent)).toPrecision(4)));
  }

  function figure(value, exponent) {
    return scaled(value, exponent) + PREFIXES[String(exponent)];
  }

  function reading(symbol) {
    // A value under the cursor as a report writes it: 2.756 µA, 0.3209 V.
    return function (u, value) {
      if (value == null) return "—";
      var exponent = symbol ? exponentOf(Math.abs(value)) : 0;
      var unit = PREFIXES[String(exponent)] + (symbol || "");
      return scaled(value, exponent) + (unit ? " " + unit : "");
    };
  }

  function ticks(u, splits) {
    // Every tick of an axis shares the prefix of its largest: 0, 0.2m, 0.4m ... rather than 0, 200µ, 0.4m.
    var largest = 0;
    for (var i = 0; i < splits.length; i++) largest = Math.max(largest, Math.abs(splits[i] || 0));
    var exponent = exponentOf(largest);
    var step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 0;
    return splits.map(function (v) {
      if (v == null) return "";
      return figure(Math.abs(v) < step * 1e-6 ? 0 : v, exponent);
    });
  }

  function columns(preview) {
    // uPlot wants x ascending: a sweep downwards is drawn the same, sorted.
    var order = preview.x.map(function (_, i) { return i; });
    order.sort(function (a, b) { return preview.x[a] - preview.x[b]; });
    return [
      order.map(function (i) { return preview.x[i]; }),
      order.map(function (i) { return preview.y_max[i]; }),
      order.map(function (i) { return preview.y_min[i]; }),
    ];
  }

  function options(preview, width) {
    return {
      width: width,
      height: HEIGHT,
      scales: { x: { time: false } },
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: preview.x_label || "x", value: reading(preview.x_symbol) },
        { label: preview.max_label, stroke: STROKE, width: 1.5, value: reading(preview.y_symbol) },
        { label: preview.min_label, stroke: STROKE, width: 1.5, value: reading(preview.y_symbol) },
      ],
      bands: [{ series: [1, 2], fill: BAND }],
      axes: [
        { label: preview.x_label, values: ticks, stroke: "#1d2330", font: FONT, labelFont: LABEL_FONT },
        { label: preview.y_label, values: ticks, stroke: "#1d2330", font: FONT, labelFont: LABEL_FONT, size: 64 },
      ],
      hooks: {
        setScale: [
          function (u, key) {
            if (key !== "x") return;
            var all = u.data[0];
            u.zoomed = all.length > 1 && (u.scales.x.min > all[0] || u.scales.x.max < all[all.length - 1]);
          },
        ],
      },
    };
  }

  function Plot(element) {
    this.element = element;
    this.area = element.querySelector(".plot-area") || element;
    this.note = document.createElement("p");
    this.note.className = "plot-note";
    this.note.hidden = true;
    this.area.after(this.note);
    this.chart = null;
    this.series = "";
  }

  Plot.prototype.say = function (text) {
    this.note.textContent = text || "";
    this.note.hidden = !text;
  };

  Plot.prototype.width = function () {
    return Math.max(240, Math.floor(this.area.clientWidth || this.element.clientWidth || 600));
  };

  Plot.prototype.draw = function (preview) {
    if (!preview || !preview.x || preview.x.length === 0) {
      this.say(this.element.dataset.waiting);
      return;
    }
    this.say("");
    this.element.dataset.points = String(preview.source_points);
    this.element.dataset.source = preview.live ? "live" : "file";
    var data = columns(preview);
    if (this.chart && this.series === preview.series) {
      this.chart.setData(data, !this.chart.zoomed); // a person's zoom stays while data arrives
      return;
    }
    if (this.chart) this.chart.destroy();
    this.series = preview.series;
    this.chart = new uPlot(options(preview, this.width()), data, this.area);
  };

  Plot.prototype.load = function () {
    var self = this;
    return fetch(this.element.dataset.preview, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (preview) { self.draw(preview); })
      .catch(function () { self.say(self.element.dataset.failed); });
  };

  Plot.prototype.resize = function () {
    if (this.chart) this.chart.setSize({ width: this.width(), height: HEIGHT });
  };

  function showState(state) {
    var status = document.getElementById("run-status");
    if (status && state.status === "running" && status.className.indexOf("status-queued") >= 0) {
      // A station took the run: the page's state section is fetched afresh (start time, station).
      document.body.dispatchEvent(new CustomEvent("run-started", { bubbles: true }));
    }
    var progress = document.getElementById("run-progress");
    var text = document.getElementById("run-progress-text");
    var percent = Math.max(0, Math.min(100, Number(state.progress) || 0));
    if (progress) {
      progress.value = percent;
      progress.textContent = Math.round(percent) + " %";
    }
    if (text) text.textContent = Math.round(percent) + " %";
    if (status && state.label) {
      status.textContent = state.label;
      status.className = "status status-" + state.status;
    }
  }

  function follow(plot) {
    var source = new EventSource(plot.element.dataset.live);
    source.addEventListener("progress", function (event) { showState(JSON.parse(event.data)); });
    source.addEventListener("preview", function (event) { plot.draw(JSON.parse(event.data)); });
    source.addEventListener("end", function (event) {
      source.close();
      showState(JSON.parse(event.data));
      plot.element.removeAttribute("data-live");
      plot.load().then(function () {
        plot.element.dataset.ended = "true";
        document.body.dispatchEvent(new CustomEvent("run-ended", { bubbles: true }));
      });
    });
    source.addEventListener("error", function () {
      // The browser reconnects by itself; a stream it was refused (404) stays closed.
      if (source.readyState === EventSource.CLOSED) plot.say(plot.element.dataset.failed);
    });
  }

  function start() {
    var plots = Array.prototype.map.call(document.querySelectorAll("figure.plot[data-preview]"), function (element) {
      var plot = new Plot(element);
      plot.load().then(function () { if (element.dataset.live) follow(plot); });
      return plot;
    });
    if (plots.length && window.ResizeObserver) {
      var observer = new ResizeObserver(function () { plots.forEach(function (plot) { plot.resize(); }); });
      plots.forEach(function (plot) { observer.observe(plot.element); });
    }
  }

  function whenFontsReady() {
    if (!document.fonts || !document.fonts.load) return start();
    Promise.all([document.fonts.load(FONT, "가"), document.fonts.load(LABEL_FONT, "가")]).then(start, start);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", whenFontsReady);
  else whenFontsReady();
})();
