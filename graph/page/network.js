"use strict";
// The defence-kg network view. Every string from a document arrives as JSON data and reaches the
// page through textContent only; no handler is written into the markup.
(function () {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const $ = (id) => document.getElementById(id);
  const text = (tag, value, className) => {
    const element = document.createElement(tag);
    element.textContent = value;
    if (className) element.className = className;
    return element;
  };

  const nodes = new vis.DataSet(data.nodes.map((n) => ({
    id: n.id, label: n.label, shape: data.style.types[n.type].shape, color: data.style.types[n.type].colour,
    value: n[data.sizeBy], x: n.x, y: n.y, font: { color: "#222" },
  })));
  const edges = new vis.DataSet(data.edges.map((e) => ({
    id: e.id, from: e.from, to: e.to, label: data.edges.length <= 400 ? e.relation : undefined,
    color: { color: data.style.relations[e.relation] }, value: e.count, arrows: e.directed ? "to" : "",
    relation: e.relation, first: e.first, last: e.last,
  })));
  const hidden = new Set();
  let since = "", until = "";
  const visible = (edge) => !hidden.has(edge.relation) &&
    (!since || (edge.last && edge.last >= since)) && (!until || (edge.first && edge.first <= until));
  const edgeView = new vis.DataView(edges, { filter: visible });
  const laidOut = data.nodes.length > 0 && data.nodes[0].x !== undefined;
  const network = new vis.Network($("network"), { nodes: nodes, edges: edgeView }, {
    physics: laidOut ? false : { stabilization: { iterations: 300 }, barnesHut: { springLength: 190, avoidOverlap: 0.4 } },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: data.edges.length > 2000 },
    nodes: { scaling: { min: 8, max: 40 } },
    edges: { scaling: { min: 1, max: 8, label: { enabled: false } }, smooth: data.edges.length <= 2000, font: { size: 10, align: "middle" } },
    layout: { improvedLayout: !laidOut && data.nodes.length <= 150, randomSeed: 7 },
  });
  if (!laidOut) network.once("stabilizationIterationsDone", () => network.setOptions({ physics: false }));

  const nodeById = new Map(data.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(data.edges.map((e) => [e.id, e]));
  const tip = $("tooltip");
  const showTip = (parts, event) => {
    tip.replaceChildren(...parts);
    tip.hidden = false;
    const pointer = event.pointer.DOM;
    tip.style.left = (pointer.x + 14) + "px";
    tip.style.top = (pointer.y + 14) + "px";
  };
  network.on("hoverNode", (event) => {
    const n = nodeById.get(event.node);
    showTip([text("strong", n.label), text("div", n.type + (n.country ? " · " + n.country : "")),
      text("div", n.degree + " partners · " + n.acts + " acts")], event);
  });
  network.on("hoverEdge", (event) => {
    const e = edgeById.get(event.edge);
    const parts = [text("strong", nodeById.get(e.from).label + " " + e.relation + " " + nodeById.get(e.to).label),
      text("div", e.count + (e.count === 1 ? " act" : " acts") + " · " + e.sources + (e.sources === 1 ? " source" : " sources"))];
    for (const act of e.acts.slice(0, 8)) {
      const item = text("div", "", "act");
      item.append(text("span", (act.date || "undated") + " ", "date"), text("span", act.evidence), text("div", act.source, "source"));
      parts.push(item);
    }
    if (e.acts.length > 8) parts.push(text("div", "… and " + (e.acts.length - 8) + " more"));
    showTip(parts, event);
  });
  network.on("blurNode", () => { tip.hidden = true; });
  network.on("blurEdge", () => { tip.hidden = true; });
  network.on("dragStart", () => { tip.hidden = true; });

  const status = $("status");
  const count = () => {
    status.textContent = nodes.length + " nodes · " + edgeView.length + " of " + edges.length + " edges shown";
  };

  const legend = $("legend");
  for (const [type, style] of Object.entries(data.style.types)) {
    if (!data.nodes.some((n) => n.type === type)) continue;
    const row = text("div", "", "legend-row");
    const mark = text("span", "", "mark mark-" + style.shape);
    mark.style.background = style.colour;
    row.append(mark, text("span", type));
    legend.append(row);
  }
  for (const [relation, colour] of Object.entries(data.style.relations)) {
    if (!data.edges.some((e) => e.relation === relation)) continue;
    const label = text("label", "", "legend-row");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.relation = relation;
    box.addEventListener("change", () => {
      if (box.checked) hidden.delete(relation); else hidden.add(relation);
      edgeView.refresh();
      count();
    });
    const line = text("span", "", "line");
    line.style.background = colour;
    label.append(box, line, text("span", relation));
    legend.append(label);
  }

  const dates = () => {
    since = $("since").value;
    until = $("until").value;
    edgeView.refresh();
    count();
  };
  $("since").addEventListener("change", dates);
  $("until").addEventListener("change", dates);

  const found = $("found");
  const search = () => {
    const wanted = $("search").value.trim().toLowerCase();
    const match = wanted && data.nodes.find((n) => n.label.toLowerCase().includes(wanted));
    if (!match) {
      found.textContent = wanted ? "no party matches" : "";
      network.unselectAll();
      return;
    }
    network.selectNodes([match.id]);
    network.focus(match.id, { scale: 1.2, animation: false });
    found.textContent = "found: " + match.label;
  };
  $("search").addEventListener("change", search);
  $("find").addEventListener("click", search);
  $("size").addEventListener("change", () => {
    const by = $("size").value;
    nodes.update(data.nodes.map((n) => ({ id: n.id, value: n[by] })));
  });
  $("size").value = data.sizeBy;
  count();
  window.defenceKg = { network: network, nodes: nodes, edges: edges, edgeView: edgeView };
})();
