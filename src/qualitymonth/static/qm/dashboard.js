// Charts of the command dashboard, the large screen and the public results page, drawn with
// ECharts from the data the page carries (json_script "dashboard-charts"); every chart also has
// its table on the page, so nothing is lost without JavaScript. On the large screen
// (body[data-refresh-url]) the figures and charts are fetched again every minute and updated in
// place, without reloading the page.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || !window.echarts) return;
  var screen = document.body.hasAttribute("data-refresh-url");
  var theme = screen ? "dark" : null;
  var palette = screen
    ? ["#ffcf5c", "#4cc3ff", "#ff7a7a", "#7ee0a1", "#c9a7ff", "#ffa657"]
    : ["#b3261e", "#1f4f8a", "#d98e04", "#1b6e3a", "#6d4c9f", "#5b6b7a"];
  // The large screen is read from across the room: axis and legend text scale with its height
  // (about 22 px on 1080 lines).
  var fontSize = screen ? Math.max(16, Math.round(window.innerHeight / 48)) : 12;
  var NARROW = 520; // px: a chart box narrower than this is a phone's (or a crowded column's)
  var ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
  var drawn = {};
  var shown = {}; // chart id -> the chart's data and its layout when last drawn

  function shortLabel(text, size) {
    text = String(text);
    return text.length > size ? text.slice(0, size - 1) + "…" : text;
  }

  // 2026-09-03 on the axis reads 09-03; the tooltip and the table keep the full date.
  function axisText(text, size) {
    text = String(text);
    return ISO_DATE.test(text) ? text.slice(5) : shortLabel(text, size);
  }

  function widthOf(chart) {
    // The box's width before anything is drawn in it (a phone, a column of the grid).
    var element = document.getElementById(chart.id);
    return element ? element.clientWidth : 0;
  }

  function longest(categories) {
    return categories.reduce(function (most, c) { return Math.max(most, String(c).length); }, 0);
  }

  // How a chart is laid out in its box: phone layout or not, bars on their side, names turned.
  function layoutOf(chart) {
    var width = widthOf(chart);
    var narrow = !screen && width > 0 && width < NARROW;
    var count = chart.categories.length;
    var horizontal = chart.kind === "hbar";
    var labelSize = horizontal ? 8 : 6;
    var rotate = 0;
    if (chart.kind === "bar" && width > 0 && count > 0) {
      // Every bar keeps its name: names that do not fit under their bar lay a chart of a few
      // long names on its side (they stay readable), and turn the names of many bars.
      var slot = (width * 0.85) / count;
      var needed = Math.min(longest(chart.categories), labelSize) * fontSize;
      if (needed > slot && count <= 12 && longest(chart.categories) > 3) {
        horizontal = true;
        labelSize = narrow ? 7 : 8;
      } else if (needed > slot) {
        rotate = needed > slot * 3 ? 90 : 45;
        labelSize = 8;
      }
    }
    return { narrow: narrow, horizontal: horizontal, rotate: rotate, labelSize: labelSize };
  }

  function option(chart) {
    var unit = chart.unit || "";
    var many = chart.series.length > 1;
    var layout = layoutOf(chart);
    var narrow = layout.narrow;
    // Pie labels outside the ring are cut in a small box ("其他:…"): on a phone and on the large
    // screen's panels the share goes inside the slice and the names into the legend below.
    var inside = narrow || screen;
    var base = {
      color: palette,
      backgroundColor: "transparent",
      textStyle: { fontSize: fontSize },
      tooltip: {
        trigger: chart.kind === "pie" ? "item" : "axis",
        confine: true,
        textStyle: { fontSize: screen ? fontSize : 14 },
        valueFormatter: function (value) {
          return value === null || value === undefined ? "—" : value + unit;
        }
      },
      animation: !screen
    };
    if (chart.kind === "pie") {
      var first = chart.series[0] || { data: [] };
      base.legend = { type: "scroll", bottom: 0, textStyle: { fontSize: fontSize } };
      base.series = [{
        type: "pie",
        name: first.name,
        radius: inside ? ["30%", "68%"] : ["35%", "65%"],
        center: ["50%", "45%"],
        label: inside
          ? { position: "inside", fontSize: fontSize, formatter: "{d}%", color: screen ? "#07111f" : "#fff", fontWeight: 600 }
          : { fontSize: fontSize, formatter: "{b}: {d}%" },
        labelLine: { show: !inside },
        minShowLabelAngle: inside ? 18 : 0,
        // Empty slices only crowd the labels; the table beside the chart lists them all.
        data: chart.categories.map(function (name, i) {
          return { name: name, value: first.data[i] };
        }).filter(function (item) { return item.value; })
      }];
      return base;
    }
    var count = chart.categories.length;
    var horizontal = layout.horizontal;
    var labelSize = layout.labelSize;
    var categoryAxis = {
      type: "category",
      data: chart.categories,
      axisLabel: {
        fontSize: fontSize,
        // Bars name every category; a long run of days may skip some (the tooltip has each).
        interval: chart.kind === "line" ? "auto" : 0,
        rotate: layout.rotate,
        hideOverlap: chart.kind === "line",
        formatter: function (value) { return axisText(value, labelSize); }
      },
      axisTick: { alignWithLabel: true }
    };
    var valueAxis = {
      type: "value",
      minInterval: unit === "%" ? 0 : 1,
      axisLabel: { fontSize: fontSize, formatter: "{value}" + unit }
    };
    if (horizontal) categoryAxis.inverse = true;
    // A turned first name reaches left of the grid, past what containLabel leaves for it.
    var reach = layout.rotate === 45 ? Math.min(longest(chart.categories), labelSize) * fontSize * 0.7 : 0;
    base.grid = {
      left: Math.max(8, Math.round(reach - 24)),
      right: 16,
      top: many ? 32 + (screen ? fontSize : 0) : 12,
      bottom: 8,
      containLabel: true
    };
    if (many) base.legend = { type: "scroll", top: 0, textStyle: { fontSize: fontSize } };
    base.xAxis = horizontal ? valueAxis : categoryAxis;
    base.yAxis = horizontal ? categoryAxis : valueAxis;
    base.series = chart.series.map(function (series) {
      return {
        type: chart.kind === "line" ? "line" : "bar",
        name: series.name,
        data: series.data,
        // Counts: a smoothed curve would dip below zero between days.
        smooth: false,
        showSymbol: chart.kind === "line" && count <= 31,
        barMaxWidth: 28,
        emphasis: { focus: "series" }
      };
    });
    return base;
  }

  function layoutKey(chart) {
    var layout = layoutOf(chart);
    return [layout.narrow, layout.horizontal, layout.rotate].join();
  }

  function draw(chart) {
    var element = document.getElementById(chart.id);
    if (!element) return;
    var instance = drawn[chart.id] || window.echarts.init(element, theme, { renderer: "canvas" });
    drawn[chart.id] = instance;
    shown[chart.id] = { chart: chart, layout: layoutKey(chart) };
    instance.setOption(option(chart), true);
  }

  function drawAll(charts) {
    charts.forEach(draw);
  }

  drawAll(JSON.parse(source.textContent));

  // Phones turn, windows change size, a details element opens: charts follow their box.
  var pending = null;
  function resizeAll() {
    pending = null;
    Object.keys(drawn).forEach(function (id) {
      // Crossing the phone width changes the layout (pie labels, bars on their side), and a
      // turned label depends on the width: draw again rather than only stretch.
      if (layoutKey(shown[id].chart) !== shown[id].layout) draw(shown[id].chart);
      drawn[id].resize();
    });
  }
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(function () {
      if (!pending) pending = window.requestAnimationFrame(resizeAll);
    });
    Object.keys(drawn).forEach(function (id) { observer.observe(document.getElementById(id)); });
  } else {
    window.addEventListener("resize", resizeAll);
  }

  if (!screen) return;
  var url = document.body.getAttribute("data-refresh-url");
  var seconds = parseInt(document.body.getAttribute("data-refresh-seconds"), 10) || 60;
  var refreshed = document.querySelector("[data-refreshed]");
  var status = document.querySelector("[data-refresh-status]");
  var failedText = JSON.parse((document.getElementById("dashboard-refresh-failed") || {}).textContent || '""');

  function updateTiles(tiles) {
    tiles.forEach(function (figure) {
      var tile = document.querySelector('[data-tile="' + CSS.escape(figure.key) + '"]');
      if (!tile) return;
      tile.querySelector("[data-value]").textContent = figure.display;
    });
  }

  function showTime(iso) {
    var when = iso ? new Date(iso) : new Date();
    if (isNaN(when.getTime())) when = new Date();
    refreshed.setAttribute("datetime", when.toISOString());
    refreshed.textContent = when.toLocaleTimeString(document.documentElement.lang || undefined, { hour12: false });
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        updateTiles(data.tiles || []);
        drawAll(data.charts || []);
        showTime(data.computed_at);
        status.textContent = "";
        document.body.setAttribute("data-refreshes", String(parseInt(document.body.getAttribute("data-refreshes") || "0", 10) + 1));
      })
      .catch(function () {
        status.textContent = failedText;
      });
  }
  window.setInterval(refresh, seconds * 1000);
})();
