// eventproof documentation site: draws the Mermaid diagrams, wires the system map's
// nodes to their pages, and runs the search over the prebuilt index (search-index.js).
// Everything it inserts is set as text, never as HTML.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";

  function wireMap() {
    var holder = document.getElementById("system-map");
    var data = document.getElementById("map-links");
    if (!holder || !data) return;
    var links = JSON.parse(data.textContent);
    holder.querySelectorAll("svg g.node").forEach(function (node) {
      var match = /flowchart-(n\d+)-\d+$/.exec(node.id || "");
      var id = node.getAttribute("data-id") || (match && match[1]);
      if (!id || !links[id]) return;
      node.classList.add("linked");
      node.setAttribute("role", "link");
      node.setAttribute("tabindex", "0");
      var go = function () { window.location.href = root + links[id]; };
      node.addEventListener("click", go);
      node.addEventListener("keydown", function (e) { if (e.key === "Enter") go(); });
    });
  }

  function drawDiagrams() {
    if (!window.mermaid || !document.querySelector("pre.mermaid")) return;
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral",
                                flowchart: { htmlLabels: false, useMaxWidth: true } });
    window.mermaid.run({ querySelector: "pre.mermaid" }).then(function () {
      document.body.setAttribute("data-diagrams", "drawn");
      wireMap();
    }, function (error) {
      document.body.setAttribute("data-diagrams", "failed");
      console.warn("eventproof: a diagram could not be drawn; its text is shown", error);
    });
  }

  function search() {
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var count = document.getElementById("search-count");
    var index = window.EVENTPROOF_SEARCH || [];
    if (!input || !list) return;
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    function show() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = "";
      if (!words.length) { count.textContent = index.length + " entries"; return; }
      var found = index.filter(function (entry) {
        var text = (entry.name + " " + entry.kind + " " + entry.detail).toLowerCase();
        return words.every(function (w) { return text.indexOf(w) >= 0; });
      });
      found.sort(function (a, b) {
        var an = a.name.toLowerCase().indexOf(words[0]), bn = b.name.toLowerCase().indexOf(words[0]);
        return (an < 0) - (bn < 0) || a.name.length - b.name.length;
      });
      count.textContent = found.length + " found";
      found.slice(0, 200).forEach(function (entry) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = root + entry.url;
        link.textContent = entry.name;
        var kind = document.createElement("span");
        kind.className = "tag";
        kind.textContent = entry.kind;
        var detail = document.createElement("div");
        detail.className = "muted";
        detail.textContent = entry.detail;
        item.append(link, " ", kind, detail);
        list.appendChild(item);
      });
    }
    input.addEventListener("input", show);
    show();
  }

  drawDiagrams();
  search();
})();
