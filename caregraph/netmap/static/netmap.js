/* caregraph network map: filters, search, details panel and the gap-matrix tab.
   Everything it needs is in the page (no request leaves it). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("netmap-data").textContent);
  var T = data.texts;
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var areaLabel = {};
  data.areas.forEach(function (a) { areaLabel[a.id] = a.label; });
  var fieldLabel = {};
  data.fields.forEach(function (f) { fieldLabel[f.id] = f.label; });

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { e.textContent = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }

  // ---- the graph ---------------------------------------------------------------------
  var actors = data.nodes.filter(function (n) { return n.group === "actor"; });
  var elements = [];
  // positions from Graphviz when the page was built with it, else Cytoscape's own layout
  var preset = data.nodes.every(function (n) { return !!n.position; });
  // start positions: actors on a circle by sector, steps and meetings inside
  var sectorOrder = data.sectors.map(function (s) { return s.id; }).concat(["none"]);
  var ordered = actors.slice().sort(function (a, b) {
    return sectorOrder.indexOf(a.sector) - sectorOrder.indexOf(b.sector);
  });
  ordered.forEach(function (n, i) {
    var angle = 2 * Math.PI * i / ordered.length;
    n._pos = { x: 600 * Math.cos(angle), y: 450 * Math.sin(angle) };
  });
  var others = data.nodes.filter(function (n) { return n.group !== "actor"; });
  others.forEach(function (n, i) {
    var angle = 2 * Math.PI * i / Math.max(others.length, 1);
    n._pos = { x: 260 * Math.cos(angle), y: 200 * Math.sin(angle) };
  });
  data.nodes.forEach(function (n) {
    elements.push({
      group: "nodes",
      data: { id: n.id, label: n.label, short: n.short, kind: n.group, shape: n.shape, colour: n.colour,
              border: n.border, unconfirmed: n.unconfirmed ? "yes" : "no" },
      position: n.position || n._pos,
      classes: n.group
    });
  });
  data.edges.forEach(function (e) {
    elements.push({
      group: "edges",
      data: { id: e.id, source: e.source, target: e.target, relation: e.relation,
              label: e.role || "", unconfirmed: e.unconfirmed ? "yes" : "no" }
    });
  });
  var edgeStyles = data.relations.map(function (r) {
    return {
      selector: 'edge[relation = "' + r.id + '"]',
      style: { "line-color": r.colour, "target-arrow-color": r.colour, "line-style": r.line,
               "width": r.width, "target-arrow-shape": r.arrow }
    };
  });
  var cy = cytoscape({
    container: document.getElementById("cy"),
    elements: elements,
    minZoom: 0.02,
    maxZoom: 3,
    // big graphs: draw a cached picture while panning and zooming
    textureOnViewport: data.nodes.length > 300,
    hideEdgesOnViewport: data.nodes.length > 300,
    style: [
      { selector: "node", style: {
          "shape": "data(shape)", "background-color": "data(colour)", "label": "data(short)",
          "border-width": 3, "border-color": "#222222", "border-style": "data(border)",
          "width": 40, "height": 40, "font-size": 17, "text-wrap": "wrap",
          "text-max-width": 200, "text-valign": "bottom", "text-margin-y": 4,
          "color": "#111111", "text-background-color": "#ffffff",
          "text-background-opacity": 0.8, "text-background-padding": 1,
          "font-family": "DejaVu Sans, Arial, sans-serif", "min-zoomed-font-size": 6 } },
      { selector: "node.step", style: {
          "width": 26, "height": 26, "border-width": 1.5, "border-color": "#666666",
          "font-size": 13, "font-style": "italic", "color": "#333333", "text-max-width": 200 } },
      { selector: 'node[border = "double"]', style: { "border-width": 6 } },
      { selector: 'node[unconfirmed = "yes"]', style: { "border-opacity": 0.55 } },
      { selector: "edge", style: {
          "curve-style": "bezier", "arrow-scale": 0.9, "font-size": 8, "label": "data(label)",
          "color": "#7a3100", "text-rotation": "autorotate", "text-background-color": "#ffffff",
          "text-background-opacity": 0.8 } },
      { selector: 'edge[unconfirmed = "yes"]', style: { "line-style": "dashed", "opacity": 0.8 } }
    ].concat(edgeStyles).concat([
      { selector: "node.match", style: { "border-color": "#000000", "border-width": 6,
                                          "font-weight": "bold", "font-size": 13 } },
      { selector: ".faded", style: { "opacity": 0.25 } },
      { selector: ".hidden", style: { "display": "none" } },
      { selector: "node:selected", style: { "overlay-color": "#000000", "overlay-opacity": 0.15,
                                            "overlay-padding": 8 } }
    ]),
    layout: preset ? { name: "preset", padding: 20 } : { name: "cose", randomize: false, animate: false,
              nodeDimensionsIncludeLabels: false, nodeRepulsion: function () { return 30000; },
              idealEdgeLength: function () { return 70; }, nodeOverlap: 60, gravity: 0.8,
              componentSpacing: 120, padding: 20,
              // cose costs time quadratic in the nodes per iteration: fewer for big graphs
              numIter: Math.max(150, Math.min(4000, Math.round(400000 / data.nodes.length))) }
  });

  // cose packs the graph into a roundish blob; stretch it to the shape of the container
  // so that more of the labels can be read once the map is fitted
  if (!preset) (function stretch() {
    var bb = cy.nodes().boundingBox();
    var box = document.getElementById("cy");
    if (!bb.w || !bb.h || !box.clientWidth || !box.clientHeight) { return; }
    var want = box.clientWidth / box.clientHeight, have = bb.w / bb.h;
    var sx = Math.min(Math.max(want / have, 1), 2.2), sy = Math.min(Math.max(have / want, 1), 2.2);
    var cx = bb.x1 + bb.w / 2, cyy = bb.y1 + bb.h / 2;
    cy.nodes().positions(function (n) {
      var p = n.position();
      return { x: cx + (p.x - cx) * sx, y: cyy + (p.y - cyy) * sy };
    });
  })();

  // ---- filters -----------------------------------------------------------------------
  var districtSelect = document.getElementById("filter-district");
  var fieldSelect = document.getElementById("filter-field");
  var sectorBox = document.getElementById("filter-sector");
  var relationBox = document.getElementById("filter-relation");
  districtSelect.appendChild(el("option", { value: "", text: T.all_areas }));
  var group = null;
  data.areas.forEach(function (a) {
    if (!group || group.getAttribute("data-type") !== a.type) {
      group = el("optgroup", { label: a.typeLabel, "data-type": a.type });
      districtSelect.appendChild(group);
    }
    group.appendChild(el("option", { value: a.id, text: a.label }));
  });
  fieldSelect.appendChild(el("option", { value: "", text: T.all_fields }));
  data.fields.forEach(function (f) { fieldSelect.appendChild(el("option", { value: f.id, text: f.label })); });
  function checkbox(box, name, value, label, checked) {
    var id = name + "-" + box.children.length;
    var input = el("input", { type: "checkbox", id: id, name: name, value: value });
    input.checked = checked;
    box.appendChild(el("div", { "class": "check" }, [input, el("label", { "for": id, text: label })]));
  }
  data.sectors.concat([{ id: "none", label: T.no_sector }]).forEach(function (s) {
    checkbox(sectorBox, "sector", s.id, s.label, !data.initial.sector || data.initial.sector === s.id);
  });
  data.relations.forEach(function (r) { checkbox(relationBox, "relation", r.id, r.label, true); });
  if (data.initial.district) { districtSelect.value = data.initial.district; }
  if (data.initial.field) { fieldSelect.value = data.initial.field; }

  function checked(box) {
    var out = {};
    box.querySelectorAll("input:checked").forEach(function (i) { out[i.value] = true; });
    return out;
  }

  function has(list, value) { return list.indexOf(value) >= 0; }

  /* The same rules as Network.filtered in caregraph/netmap/model.py. */
  function computeVisible() {
    var district = districtSelect.value, field = fieldSelect.value;
    var sectors = checked(sectorBox), relations = checked(relationBox);
    function passes(n) {
      if (district && !has(n.areas, district)) { return false; }
      if (field && !has(n.fields, field)) { return false; }
      if (n.group === "actor") { return !!sectors[n.sector]; }
      return true;
    }
    var keep = {};
    actors.forEach(function (n) { if (passes(n)) { keep[n.id] = true; } });
    var edges = data.edges.filter(function (e) { return relations[e.relation]; });
    [["Task", "Meeting", "Workshop"], ["Measure"]].forEach(function (kinds) {
      var add = [];
      others.forEach(function (n) {
        var kind = n.kind.split("#").pop();
        if (!has(kinds, kind) || !passes(n)) { return; }
        var linked = edges.some(function (e) {
          return (e.source === n.id && keep[e.target]) || (e.target === n.id && keep[e.source]);
        });
        if (linked) { add.push(n.id); }
      });
      add.forEach(function (id) { keep[id] = true; });
    });
    var keepEdges = {};
    edges.forEach(function (e) { if (keep[e.source] && keep[e.target]) { keepEdges[e.id] = true; } });
    return { nodes: keep, edges: keepEdges };
  }

  var actorList = document.getElementById("actor-list");
  var countLine = document.getElementById("count");
  var searchBox = document.getElementById("search");

  function apply() {
    var visible = computeVisible();
    cy.batch(function () {
      cy.nodes().forEach(function (n) { n.toggleClass("hidden", !visible.nodes[n.id()]); });
      cy.edges().forEach(function (e) { e.toggleClass("hidden", !visible.edges[e.id()]); });
    });
    var shown = actors.filter(function (n) { return visible.nodes[n.id]; });
    actorList.innerHTML = "";
    shown.forEach(function (n) {
      var button = el("button", { type: "button", "data-id": n.id, text: n.label });
      button.addEventListener("click", function () { select(n.id); });
      actorList.appendChild(el("li", { "data-sector": n.sector }, [button]));
    });
    countLine.textContent = shown.length + " / " + actors.length + " " + T.visible;
    search();
    var vis = cy.elements().not(".hidden");
    if (vis.length) { cy.fit(vis, 30); }
  }

  function search() {
    var q = searchBox.value.trim().toLowerCase();
    cy.batch(function () {
      cy.elements().removeClass("match faded");
      if (!q) { return; }
      var hits = cy.nodes().filter(function (n) { return n.data("label").toLowerCase().indexOf(q) >= 0; });
      cy.elements().not(hits).addClass("faded");
      hits.addClass("match");
    });
    actorList.querySelectorAll("li").forEach(function (li) {
      var name = li.textContent.toLowerCase();
      li.hidden = !!q && name.indexOf(q) < 0;
    });
  }

  [districtSelect, fieldSelect].forEach(function (s) { s.addEventListener("change", apply); });
  [sectorBox, relationBox].forEach(function (b) { b.addEventListener("change", apply); });
  searchBox.addEventListener("input", search);
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") { return; }
    var first = cy.nodes(".match").not(".hidden")[0];
    if (first) { select(first.id()); }
  });
  document.getElementById("reset").addEventListener("click", function () {
    districtSelect.value = ""; fieldSelect.value = ""; searchBox.value = "";
    document.querySelectorAll("#controls input[type=checkbox]").forEach(function (i) { i.checked = true; });
    apply();
  });

  // ---- details panel -----------------------------------------------------------------
  var panel = document.getElementById("panel");

  function row(term, value) {
    if (value === null || value === undefined || value === "" ||
        (Array.isArray(value) && !value.length)) { return null; }
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = Array.isArray(value) ? value.join(", ") : value; }
    return el("div", { "class": "row" }, [el("dt", { text: term }), dd]);
  }

  function slidesText(n) {
    var parts = [];
    if (n.source) { parts.push(n.source); }
    if (n.slides && n.slides.length) { parts.push(T.slide + " " + n.slides.join(", ")); }
    return parts.join(", ");
  }

  function quoteList(quotes) {
    if (!quotes || !quotes.length) { return null; }
    var box = el("div");
    quotes.forEach(function (q) { box.appendChild(el("blockquote", { text: q })); });
    return box;
  }

  function markList(marks) {
    if (!marks || !marks.length) { return null; }
    var ul = el("ul", { "class": "marks" });
    marks.forEach(function (m) {
      var li = el("li", { "class": m.unconfirmed ? "unconfirmed" : "" });
      li.appendChild(el("span", { "class": "what", text: m.property + ": " + m.value }));
      if (m.certainty) { li.appendChild(el("span", { "class": "certainty", text: " (" + m.certainty + ")" })); }
      if (m.rationale) { li.appendChild(el("div", { "class": "why", text: m.rationale })); }
      ul.appendChild(li);
    });
    return ul;
  }

  function stepItem(link, other) {
    var li = el("li", { "class": link.unconfirmed ? "unconfirmed" : "" });
    var name = el("button", { type: "button", "class": "link", "data-id": other.id, text: other.label });
    name.addEventListener("click", function () { select(other.id); });
    li.appendChild(name);
    var facts = [];
    if (other.status) { facts.push(T.status + ": " + other.status); }
    facts.push(T.role + ": " + (link.role || (link.relation === "participation" ? T.participates : T.none)));
    if (link.certainty) { facts.push(T.certainty + ": " + link.certainty); }
    if (link.slide) { facts.push(T.slide + " " + link.slide); }
    li.appendChild(el("div", { "class": "facts", text: facts.join(" · ") }));
    if (link.quote) { li.appendChild(el("blockquote", { text: link.quote })); }
    var marks = markList(link.marks);
    if (marks) { li.appendChild(marks); }
    return li;
  }

  function show(n) {
    panel.innerHTML = "";
    var close = el("button", { type: "button", "class": "close", "aria-label": T.close, text: "×" });
    close.addEventListener("click", function () { cy.elements().unselect(); hint(); });
    panel.appendChild(close);
    panel.appendChild(el("h2", { text: n.label, "data-id": n.id }));
    var dl = el("dl");
    [
      row(T.kind, n.kindLabel),
      n.group === "actor" ? row(T.sector, n.sectorLabel) : null,
      row(T.status, n.status),
      row(T.date, n.date),
      row(T.certainty, n.certainty),
      row(T.active_in, n.activeIn),
      row(T.areas, n.areas.map(function (a) { return areaLabel[a] || a; })),
      row(T.fields, n.fields.map(function (f) { return fieldLabel[f] || f; })),
      row(T.source, slidesText(n)),
      row(T.quote, quoteList(n.quotes)),
      row(T.note, n.note),
      row(T.readings, markList(n.marks))
    ].forEach(function (r) { if (r) { dl.appendChild(r); } });
    panel.appendChild(dl);
    var items = [];
    if (n.group === "actor") {
      n.links.forEach(function (link) { if (byId[link.step]) { items.push(stepItem(link, byId[link.step])); } });
    } else {
      actors.forEach(function (a) {
        a.links.forEach(function (link) { if (link.step === n.id) { items.push(stepItem(link, a)); } });
      });
    }
    if (items.length) {
      panel.appendChild(el("h3", { text: n.group === "actor" ? T.steps : T.tab_map }));
      panel.appendChild(el("ul", { "class": "steps" }, items));
    }
    if (n.url) {
      panel.appendChild(el("p", {}, [el("a", { href: n.url, "class": "resource", text: T.open_resource })]));
    }
  }

  function hint() { panel.innerHTML = ""; panel.appendChild(el("p", { "class": "hint", text: T.click_hint })); }

  function select(id) {
    var node = cy.getElementById(id);
    cy.elements().unselect();
    if (node.length) {
      node.select();
      var p = node.renderedPosition();
      var outside = p.x < 0 || p.y < 0 || p.x > cy.width() || p.y > cy.height();
      if (!node.hasClass("hidden") && outside) { cy.center(node); }
    }
    show(byId[id]);
  }

  cy.on("tap", "node", function (ev) { select(ev.target.id()); });
  cy.on("tap", function (ev) { if (ev.target === cy) { cy.elements().unselect(); hint(); } });

  // ---- tabs and the gap matrix -------------------------------------------------------
  var tabs = { map: document.getElementById("tab-map"), gaps: document.getElementById("tab-gaps") };
  var views = { map: document.getElementById("view-map"), gaps: document.getElementById("view-gaps") };
  function tab(name) {
    Object.keys(tabs).forEach(function (k) {
      tabs[k].setAttribute("aria-selected", k === name ? "true" : "false");
      views[k].hidden = k !== name;
    });
    if (name === "map") { cy.resize(); apply(); }
  }
  tabs.map.addEventListener("click", function () { tab("map"); });
  tabs.gaps.addEventListener("click", function () { tab("gaps"); });
  document.querySelectorAll("#view-gaps td[data-area]").forEach(function (td) {
    td.addEventListener("click", function () {
      districtSelect.value = td.getAttribute("data-area");
      var column = td.getAttribute("data-column");
      var sector = byIdSector(column);
      sectorBox.querySelectorAll("input").forEach(function (i) { i.checked = !sector || i.value === column; });
      fieldSelect.value = sector ? "" : column;
      tab("map");
    });
  });
  document.getElementById("show-fields").addEventListener("change", function (ev) {
    document.querySelector("#view-gaps table.gaps").classList.toggle("show-fields", ev.target.checked);
  });
  function byIdSector(id) { return data.sectors.some(function (s) { return s.id === id; }); }

  apply();
  // for tests and for the app that mounts the page: read-only views of the state
  window.caregraphMap = {
    cy: cy,
    visibleActors: function () {
      return actors.filter(function (n) { return !cy.getElementById(n.id).hasClass("hidden"); })
                   .map(function (n) { return n.id; });
    },
    select: select,
    apply: apply
  };
  document.body.setAttribute("data-ready", "true");
})();
