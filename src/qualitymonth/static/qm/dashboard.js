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
  var fontSize = screen ? Math.max(14, Math.round(window.innerHeight / 60)) : 12;
  var drawn = {};

  function shortLabel(text, size) {
    text = String(text);
    return text.length > size ? text.slice(0, size - 1) + "…" : text;
  }

  function option(chart) {
    var unit = chart.unit || "";
    var many = chart.series.length > 1;
    var base = {
      color: palette,
      backgroundColor: "transparent",
      textStyle: { fontSize: fontSize },
      tooltip: {
        trigger: chart.kind === "pie" ? "item" : "axis",
        confine: true,
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
        radius: ["35%", "65%"],
        center: ["50%", "45%"],
        label: { fontSize: fontSize, formatter: "{b}: {d}%" },
        // Empty slices only crowd the labels; the table beside the chart lists them all.
        data: chart.categories.map(function (name, i) {
          return { name: name, value: first.data[i] };
        }).filter(function (item) { return item.value; })
      }];
      return base;
    }
    var horizontal = chart.kind === "hbar";
    var categoryAxis = {
      type: "category",
      data: chart.categories,
      axisLabel: {
        fontSize: fontSize,
        hideOverlap: true,
        formatter: function (value) { return shortLabel(value, horizontal ? 8 : 6); }
      },
      axisTick: { alignWithLabel: true }
    };
    var valueAxis = {
      type: "value",
      minInterval: unit === "%" ? 0 : 1,
      axisLabel: { fontSize: fontSize, formatter: "{value}" + unit }
    };
    if (horizontal) categoryAxis.inverse = true;
    base.grid = { left: 8, right: 16, top: many ? 32 : 12, bottom: 8, containLabel: true };
    if (many) base.legend = { type: "scroll", top: 0, textStyle: { fontSize: fontSize } };
    base.xAxis = horizontal ? valueAxis : categoryAxis;
    base.yAxis = horizontal ? categoryAxis : valueAxis;
    base.series = chart.series.map(function (series) {
      return {
        type: chart.kind === "line" ? "line" : "bar",
        name: series.name,
        data: series.data,
        smooth: chart.kind === "line",
        showSymbol: chart.kind === "line" && chart.categories.length <= 31,
        barMaxWidth: 28,
        emphasis: { focus: "series" }
      };
    });
    return base;
  }

  function draw(chart) {
    var element = document.getElementById(chart.id);
    if (!element) return;
    var instance = drawn[chart.id] || window.echarts.init(element, theme, { renderer: "canvas" });
    drawn[chart.id] = instance;
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
    Object.keys(drawn).forEach(function (id) { drawn[id].resize(); });
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
