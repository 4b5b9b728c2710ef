// The page of nexus's Graph::to_html: selection, the side panel, the filter and the last transaction.
// The drawing itself is SVG computed in Rust; this script only reads the data and toggles classes.
// User data is only ever set as text (textContent), never parsed as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = data.nodes || [];
  var edges = data.edges || [];
  var transactions = data.transactions || [];
  var svg = document.getElementById("graph");
  var panel = document.getElementById("panel");
  var n = nodes.length;

  var sources = [], readers = [];
  for (var i = 0; i < n; i++) { sources.push([]); readers.push([]); }
  edges.forEach(function (e) {
    if (e.consumer < n && e.producer < n && e.consumer !== e.producer) {
      sources[e.consumer].push(e.producer);
      readers[e.producer].push(e.consumer);
    }
  });
  var nodeEls = [];
  svg.querySelectorAll(".node[data-node]").forEach(function (el) { nodeEls[+el.dataset.node] = el; });
  var edgeEls = Array.prototype.slice.call(svg.querySelectorAll(".edge[data-edge]"));

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function clip(s, max) { return s.length > max ? s.slice(0, max - 1) + "\u2026" : s; }

  function nodeList(title, list) {
    var frag = document.createDocumentFragment();
    frag.appendChild(el("h3", null, title + " (" + list.length + ")"));
    var ul = el("ul");
    if (!list.length) ul.appendChild(el("li", "none", "none"));
    list.forEach(function (j) {
      var li = el("li");
      var b = el("button", "link kind-" + nodes[j].kind);
      b.type = "button";
      b.appendChild(document.createTextNode(nodes[j].label));
      b.appendChild(el("span", "v", clip(nodes[j].value, 32)));
      b.title = nodes[j].path;
      b.addEventListener("click", function () { select(j); focusNode(j); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    frag.appendChild(ul);
    return frag;
  }

  function focusNode(j) {
    var e = nodeEls[j];
    if (e && e.scrollIntoView) e.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function row(dl, term, value) {
    dl.appendChild(el("dt", null, term));
    dl.appendChild(el("dd", null, value));
  }

  var selected = null;
  function select(i) {
    selected = i;
    nodeEls.forEach(function (e) { e.classList.remove("selected", "is-source", "is-reader"); });
    edgeEls.forEach(function (e) { e.classList.remove("is-active"); });
    panel.textContent = "";
    if (i === null || !nodes[i]) {
      svg.classList.remove("selecting");
      panel.appendChild(el("p", "empty", "Click an atom to see its value, kind, type, sources and readers."));
      return;
    }
    svg.classList.add("selecting");
    nodeEls[i].classList.add("selected");
    sources[i].forEach(function (j) { nodeEls[j].classList.add("is-source"); });
    readers[i].forEach(function (j) { nodeEls[j].classList.add("is-reader"); });
    edgeEls.forEach(function (e) {
      if (+e.dataset.reader === i || +e.dataset.source === i) e.classList.add("is-active");
    });

    var node = nodes[i];
    panel.appendChild(el("h2", null, node.label));
    panel.appendChild(el("span", "kind-badge kind-" + node.kind, node.kind));
    var dl = el("dl");
    row(dl, "key", node.id);
    row(dl, "path", node.path);
    row(dl, "type", node.type);
    row(dl, "version", "epoch " + node.epoch);
    row(dl, "mounted", node.mounted ? "yes" : "no");
    panel.appendChild(dl);
    panel.appendChild(el("h3", null, "Value"));
    panel.appendChild(el("pre", "value", node.value));
    panel.appendChild(nodeList("Sources (reads)", sources[i]));
    panel.appendChild(nodeList("Readers (read by)", readers[i]));
    if (transactions.length) {
      var touched = transactions.filter(function (t) { return (t.path || []).indexOf(i) >= 0; }).reverse();
      panel.appendChild(el("h3", null, "Transactions that touched it (" + touched.length + ")"));
      if (!touched.length) panel.appendChild(el("p", "empty", "none of the recorded ones"));
      touched.forEach(function (t) { panel.appendChild(el("div", "tx", t.summary)); });
    }
  }

  nodeEls.forEach(function (e, i) {
    e.addEventListener("click", function (ev) { ev.stopPropagation(); select(selected === i ? null : i); });
    e.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(i); }
    });
  });
  svg.addEventListener("click", function () { select(null); });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") select(null); });

  var filter = document.getElementById("filter");
  filter.addEventListener("input", function () {
    var q = filter.value.trim().toLowerCase();
    svg.classList.toggle("filtering", q !== "");
    nodes.forEach(function (node, i) {
      var hit = node.label.toLowerCase().indexOf(q) >= 0 || node.path.toLowerCase().indexOf(q) >= 0;
      nodeEls[i].classList.toggle("unmatched", q !== "" && !hit);
    });
  });

  // The last transaction (when a tool attached some): its summary above the graph, its path highlighted.
  if (transactions.length) {
    var last = transactions[transactions.length - 1];
    var path = (last.path || []).filter(function (j) { return j < n; });
    var on = {};
    path.forEach(function (j) { on[j] = true; nodeEls[j].classList.add("on-path"); });
    edgeEls.forEach(function (e) {
      if (on[+e.dataset.reader] && on[+e.dataset.source]) e.classList.add("on-path");
    });
    var banner = document.getElementById("last");
    banner.appendChild(el("strong", null, "Last transaction: "));
    banner.appendChild(document.createTextNode(last.summary + " \u2014 " +
      path.map(function (j) { return nodes[j].label; }).join(" \u2192 ")));
    banner.hidden = false;
  }

  // graph.html#node=NAME opens with NAME (a name, path or key) selected.
  var wanted = /^#node=(.+)$/.exec(location.hash);
  if (wanted) {
    var name = decodeURIComponent(wanted[1]);
    for (var k = 0; k < n; k++) {
      if (nodes[k].label === name || nodes[k].path === name || nodes[k].id === name) { select(k); break; }
    }
  }
})();
