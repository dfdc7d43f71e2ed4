// The cluster's tips and their shared identifiers as a force graph (ECharts, vendored).
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("cluster-graph");
    var data = document.getElementById("cluster-graph-data");
    if (!el || !data || typeof echarts === "undefined") { return; }
    var graph = JSON.parse(data.textContent);
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: {},
      legend: [{ data: ["线索", "共同要素"] }],
      series: [{
        type: "graph", layout: "force", roam: true, draggable: true,
        categories: [{ name: "线索" }, { name: "共同要素" }],
        label: { show: true, position: "right" },
        force: { repulsion: 180, edgeLength: 90 },
        data: graph.nodes.map(function (n) { return { id: n.id, name: n.name, category: n.category, symbolSize: n.category === 0 ? 26 : 16, url: n.url }; }),
        links: graph.links
      }]
    });
    chart.on("click", function (params) { if (params.data && params.data.url) { window.location.href = params.data.url; } });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
