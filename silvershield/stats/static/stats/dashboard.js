/* Dashboard charts: data from the json_script block; a click on a bar, slice or point opens the
   list of records behind it. No inline script or style (CSP). */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);

  function open(params) {
    var link = params && params.data && params.data.link;
    if (link) { window.location.href = link; }
  }

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var c = echarts.init(el);
    c.setOption(option);
    c.on("click", open);
    window.addEventListener("resize", function () { c.resize(); });
  }

  chart("chart-channel", {
    tooltip: { trigger: "item" },
    grid: { left: 40, right: 10, top: 10, bottom: 60 },
    xAxis: { type: "category", data: data.channels.map(function (d) { return d.name; }), axisLabel: { rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.channels, itemStyle: { color: "#1f4e8c" } }]
  });
  chart("chart-type", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "65%"], data: data.types, label: { formatter: "{b}\n{c}" } }]
  });
  chart("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { data: ["受理线索", "已办结"] },
    grid: { left: 40, right: 20, top: 30, bottom: 30 },
    xAxis: { type: "category", data: data.weeks.map(function (w) { return w.label; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "受理线索", type: "line", data: data.weeks.map(function (w) { return { value: w.received, link: w.received_link }; }) },
      { name: "已办结", type: "line", data: data.weeks.map(function (w) { return { value: w.closed, link: w.closed_link }; }) }
    ]
  });
}());
