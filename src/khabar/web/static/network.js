// khabar serve: the interactive network of /network. No library, nothing fetched but this
// server's /api/network. The page keeps its static SVG for browsers without script; this script
// hides it once the interactive figure has drawn.
//
// Names and every other string from the knowledge base are hostile input: they reach the page
// through textContent and setAttribute only (never as markup), links are checked to be paths of
// this server, colours to be #rrggbb.
"use strict";

(function () {
  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 960, HEIGHT = 620;            // the drawing area (the legend sits beside it, outside)
  var MAX_TICKS = 320;                     // a layout runs at most this many steps, then stops
  var TICKS_PER_FRAME = 4;
  var ZOOM_MIN = 0.2, ZOOM_MAX = 6;
  var GOLDEN = Math.PI * (3 - Math.sqrt(5));
  var COLOUR = /^#[0-9a-fA-F]{6}$/;
  var LOCAL = /^\/(actors|ties)\/[A-Za-z0-9._~%\/-]+$/;
  var DASH = { negated: "7 5", predicted: "1.5 4" };

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function html(name, cls, text, parent) {
    var node = document.createElement(name);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function colour(value) { return COLOUR.test(String(value)) ? value : "#777777"; }
  function local(url) { return LOCAL.test(String(url)) ? url : null; }
  function num(value) { var n = Number(value); return isFinite(n) ? n : 0; }

  function shapeOf(name, r, fill, parent) {
    var common = { fill: colour(fill), stroke: "#333333", "stroke-width": 1.2, "class": "shape" };
    var sides = { diamond: [4, 0, 1.15], hexagon: [6, 0, 1.05], triangle: [3, -Math.PI / 2, 1.25],
                  pentagon: [5, -Math.PI / 2, 1.1] }[name];
    if (name === "square") {
      var side = r * 1.7;
      return el("rect", Object.assign({ x: -side / 2, y: -side / 2, width: side, height: side, rx: 2 }, common),
                parent);
    }
    if (sides) {
      var points = [];
      for (var i = 0; i < sides[0]; i++) {
        var a = sides[1] + 2 * Math.PI * i / sides[0];
        points.push((r * sides[2] * Math.cos(a)).toFixed(1) + "," + (r * sides[2] * Math.sin(a)).toFixed(1));
      }
      return el("polygon", Object.assign({ points: points.join(" ") }, common), parent);
    }
    return el("circle", Object.assign({ cx: 0, cy: 0, r: r }, common), parent);
  }

  function Network(app) {
    this.app = app;
    this.api = app.getAttribute("data-api") || "/api/network";
    this.form = document.getElementById("network-filters");
    this.status = app.querySelector(".network-status");
    this.select = app.querySelector("select.network-expand");
    this.nodes = [];        // {id, name, kind, shape, fill, url, x, y, vx, vy, fixed, g}
    this.edges = [];        // the API's edges, each with its drawn group
    this.byId = {};
    this.view = { x: 0, y: 0, k: 1 };
    this.ticks = 0;
    this.alpha = 0;
    this.running = false;
    this.build();
  }

  Network.prototype.build = function () {
    var self = this;
    var body = this.app.querySelector(".network-body");
    this.svg = el("svg", { "class": "network-canvas", viewBox: "0 0 " + WIDTH + " " + HEIGHT,
                           role: "group", "aria-label": "Network of actors and ties (interactive)" });
    body.insertBefore(this.svg, body.firstChild);
    this.defs = el("defs", {}, this.svg);
    this.background = el("rect", { "class": "network-background", x: 0, y: 0, width: WIDTH, height: HEIGHT,
                                   fill: "#ffffff" }, this.svg);
    this.viewport = el("g", { "class": "network-viewport" }, this.svg);
    this.edgeLayer = el("g", { "class": "edges" }, this.viewport);
    this.nodeLayer = el("g", { "class": "nodes" }, this.viewport);
    this.legend = body.querySelector(".network-legend");
    this.applyView();

    this.app.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-zoom");
        if (how === "fit") { self.fit(); } else { self.zoomAt(how === "in" ? 1.25 : 0.8, WIDTH / 2, HEIGHT / 2); }
      });
    });
    var relayout = this.app.querySelector("[data-action=relayout]");
    if (relayout) {
      relayout.addEventListener("click", function () {
        self.nodes.forEach(function (n) { n.fixed = false; });
        self.seed(self.nodes, null);
        self.start(1);
      });
    }
    var expand = this.app.querySelector("[data-action=expand]");
    if (expand) {
      expand.addEventListener("click", function () { if (self.select.value) { self.expand(self.select.value); } });
    }
    this.svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = self.svgPoint(event);
      self.zoomAt(event.deltaY < 0 ? 1.15 : 1 / 1.15, p.x, p.y);
    }, { passive: false });
    this.svg.addEventListener("pointerdown", function (event) { self.pointerDown(event); });
    this.svg.addEventListener("pointermove", function (event) { self.pointerMove(event); });
    this.svg.addEventListener("pointerup", function (event) { self.pointerUp(event); });
    this.svg.addEventListener("pointercancel", function (event) { self.pointerUp(event); });
    if (this.form) {
      var form = this.form;
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        event.stopImmediatePropagation();  // the page stays: no field is left out of an address
        self.filter();
        window.setTimeout(function () {
          form.querySelectorAll("[disabled]").forEach(function (field) { field.disabled = false; });
        }, 0);
      }, { capture: true });
    }
  };

  // -- view: zoom and pan --------------------------------------------------------------------------------
  Network.prototype.applyView = function () {
    var v = this.view;
    this.viewport.setAttribute("transform", "translate(" + v.x.toFixed(2) + " " + v.y.toFixed(2) + ") scale(" +
                               v.k.toFixed(4) + ")");
    this.app.setAttribute("data-zoom-level", v.k.toFixed(3));
    this.declutter();
  };

  // Names keep their size on screen whatever the zoom, so zooming in makes room for more of them;
  // a name that would overlap one already placed (the best evidenced actors are placed first)
  // waits for that room. A pointer or focus on an actor shows its name anyway (app.css).
  Network.prototype.declutter = function () {
    var k = this.view.k, placed = [];
    this.nodes.forEach(function (n) {
      var label = n.g && n.g.querySelector("text.label");
      if (!label) { return; }
      var w = label.textContent.length * 6.2 + 4, h = 14;
      var left = n.x * k - w / 2, top = (n.y + (n.r || 8)) * k + 1;
      var free = placed.every(function (b) {
        return left >= b[0] + b[2] || left + w <= b[0] || top >= b[1] + b[3] || top + h <= b[1];
      });
      if (free) { placed.push([left, top, w, h]); }
      label.setAttribute("visibility", free ? "visible" : "hidden");
      label.setAttribute("font-size", (11 / k).toFixed(3));
      label.setAttribute("stroke-width", (3 / k).toFixed(3));
      label.setAttribute("y", ((n.r || 8) + 12 / k).toFixed(2));
    });
  };

  Network.prototype.zoomAt = function (factor, px, py) {
    var v = this.view;
    var k = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, v.k * factor));
    v.x = px - (px - v.x) * (k / v.k);
    v.y = py - (py - v.y) * (k / v.k);
    v.k = k;
    this.applyView();
  };

  Network.prototype.fit = function () {
    if (!this.nodes.length) { this.view = { x: 0, y: 0, k: 1 }; this.applyView(); return; }
    var xs = this.nodes.map(function (n) { return n.x; }), ys = this.nodes.map(function (n) { return n.y; });
    var x0 = Math.min.apply(null, xs) - 60, x1 = Math.max.apply(null, xs) + 60;
    var y0 = Math.min.apply(null, ys) - 40, y1 = Math.max.apply(null, ys) + 50;
    var k = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, Math.min(WIDTH / (x1 - x0), HEIGHT / (y1 - y0), 2)));
    this.view = { k: k, x: (WIDTH - (x0 + x1) * k) / 2, y: (HEIGHT - (y0 + y1) * k) / 2 };
    this.applyView();
  };

  // A pointer event's position in the drawing's own units (the viewBox), and in the zoomed plane.
  Network.prototype.svgPoint = function (event) {
    var box = this.svg.getBoundingClientRect();
    return { x: (event.clientX - box.left) * WIDTH / box.width, y: (event.clientY - box.top) * HEIGHT / box.height };
  };

  Network.prototype.planePoint = function (event) {
    var p = this.svgPoint(event), v = this.view;
    return { x: (p.x - v.x) / v.k, y: (p.y - v.y) / v.k };
  };

  Network.prototype.pointerDown = function (event) {
    if (event.button !== 0) { return; }
    this.justDragged = false;
    var target = event.target.closest ? event.target.closest("a.node") : null;
    var node = target ? this.byId[target.getAttribute("data-id")] : null;
    if (!node && event.target.closest && event.target.closest("a.tie")) { return; }  // a click on a tie
    this.drag = { node: node, start: this.svgPoint(event), view: { x: this.view.x, y: this.view.y },
                  moved: false, id: event.pointerId };
    if (!node) { this.svg.setPointerCapture(event.pointerId); this.svg.classList.add("panning"); }
  };

  Network.prototype.pointerMove = function (event) {
    var d = this.drag;
    if (!d || d.id !== event.pointerId) { return; }
    var p = this.svgPoint(event);
    if (!d.moved && Math.abs(p.x - d.start.x) + Math.abs(p.y - d.start.y) < 4) { return; }
    if (!d.moved && d.node) { this.svg.setPointerCapture(event.pointerId); }
    d.moved = true;
    if (d.node) {
      var q = this.planePoint(event);
      d.node.x = q.x; d.node.y = q.y; d.node.vx = 0; d.node.vy = 0; d.node.fixed = true;
      d.node.g.classList.add("pinned");
      this.draw();
      this.start(0.25, 90);  // the neighbours settle around the moved actor
    } else {
      this.view.x = d.view.x + p.x - d.start.x;
      this.view.y = d.view.y + p.y - d.start.y;
      this.applyView();
    }
  };

  Network.prototype.pointerUp = function (event) {
    var d = this.drag;
    if (!d || d.id !== event.pointerId) { return; }
    this.drag = null;
    this.svg.classList.remove("panning");
    if (this.svg.hasPointerCapture(event.pointerId)) { this.svg.releasePointerCapture(event.pointerId); }
    this.justDragged = d.moved;  // the click that follows a drag opens nothing
  };

  // -- data ------------------------------------------------------------------------------------------------
  Network.prototype.query = function (extra) {
    var params = new URLSearchParams();
    if (this.form) {
      ["type", "modality", "since", "until", "min_evidence", "min_credibility"].forEach(function (name) {
        var field = this.form.elements.namedItem(name);
        if (field && field.value !== "" && !(name === "min_evidence" && field.value === "1")) {
          params.set(name, field.value);
        }
      }, this);
    }
    // /network?limit=N: another cap on the ties drawn (an actor's neighbours, expanded, come under the API's own)
    var limit = new URLSearchParams(window.location.search).get("limit");
    if (limit && /^[0-9]{1,3}$/.test(limit) && !(extra && extra.actor)) { params.set("limit", limit); }
    Object.keys(extra || {}).forEach(function (k) { params.set(k, extra[k]); });
    return params;
  };

  Network.prototype.fetch = function (params) {
    var self = this;
    this.say("Loading…");
    this.app.setAttribute("data-state", "loading");
    return window.fetch(this.api + "?" + params.toString(), { headers: { Accept: "application/json" },
                                                            credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            var detail = data && data.detail;
            throw new Error(typeof detail === "string" ? detail : "the filters were not understood");
          }
          return data;
        });
      })
      .catch(function (error) {
        self.say("Could not load the network: " + error.message);
        self.app.setAttribute("data-state", "error");
        throw error;
      });
  };

  Network.prototype.load = function () {
    var self = this;
    return this.fetch(this.query()).then(function (data) {
      self.replace(data);
      var fallback = document.getElementById("network-static");
      if (fallback) { fallback.hidden = true; }
      self.app.hidden = false;
    });
  };

  Network.prototype.filter = function () {
    var self = this;
    var params = this.query();
    this.fetch(params).then(function (data) {
      self.replace(data);
      var address = window.location.pathname + (params.toString() ? "?" + params.toString() : "");
      window.history.replaceState(null, "", address);
      self.refreshList(address);
    }).catch(function () { /* said in the status line */ });
  };

  // The list of ties under the figure, as the server renders it for the same filters.
  Network.prototype.refreshList = function (address) {
    var list = document.getElementById("network-list");
    if (!list || !window.DOMParser) { return; }
    window.fetch(address, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (text === null) { return; }
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("network-list");
        if (fresh) { list.replaceWith(document.importNode(fresh, true)); }
      }).catch(function () { /* the figure is what matters; the list stays as it was */ });
  };

  Network.prototype.expand = function (id) {
    var self = this;
    var centre = this.byId[id];
    this.fetch(this.query({ actor: id, depth: 1 })).then(function (data) {
      var added = self.merge(data, centre);
      self.say(self.summary() + " · " + added + " new actors around " + (centre ? centre.name : id));
    }).catch(function () { /* said in the status line */ });
  };

  // -- the drawing --------------------------------------------------------------------------------------------
  Network.prototype.replace = function (data) {
    this.nodes = [];
    this.edges = [];
    this.byId = {};
    this.total = num(data.total);
    this.limit = num(data.limit);
    while (this.edgeLayer.firstChild) { this.edgeLayer.removeChild(this.edgeLayer.firstChild); }
    while (this.nodeLayer.firstChild) { this.nodeLayer.removeChild(this.nodeLayer.firstChild); }
    var fresh = this.add(data);
    this.seed(fresh, null);
    this.layoutNow(fresh);
    this.view = { x: 0, y: 0, k: 1 };
    this.fit();
    this.say(this.summary());
    this.start(0.3, 60);
  };

  Network.prototype.merge = function (data, centre) {
    var fresh = this.add(data);
    this.seed(fresh, centre || null);
    this.start(0.6);
    return fresh.length;
  };

  // Adds the nodes and edges of ``data`` not drawn yet; returns the new nodes.
  Network.prototype.add = function (data) {
    var self = this, fresh = [];
    (data.nodes || []).forEach(function (n) {
      if (typeof n.id !== "string" || self.byId[n.id]) { return; }
      var node = { id: n.id, name: String(n.name || n.id), kind: n.kind, shape: n.shape, fill: n.fill,
                   url: local(n.url), evidence: num(n.evidence), x: 0, y: 0, vx: 0, vy: 0, fixed: false };
      self.byId[n.id] = node;
      self.nodes.push(node);
      fresh.push(node);
    });
    var seen = {};
    this.edges.forEach(function (e) { seen[e.subject + "\u001f" + e.type + "\u001f" + e.object] = true; });
    (data.edges || []).forEach(function (e) {
      var key = e.subject + "\u001f" + e.type + "\u001f" + e.object;
      if (seen[key] || !self.byId[e.subject] || !self.byId[e.object]) { return; }
      seen[key] = true;
      self.edges.push(e);
    });
    this.redrawAll();
    this.fillSelect();
    this.drawLegend();
    return fresh;
  };

  Network.prototype.radius = function (node) {
    var most = 1;
    this.nodes.forEach(function (n) { most = Math.max(most, n.evidence); });
    return 6 + 14 * Math.sqrt(Math.max(0, node.evidence) / most);
  };

  Network.prototype.marker = function (value) {
    var c = colour(value), id = "net-arrow-" + c.slice(1).toLowerCase();
    if (!this.defs.querySelector("#" + id)) {
      var m = el("marker", { id: id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9,
                             markerUnits: "userSpaceOnUse", orient: "auto" }, this.defs);
      el("path", { d: "M0,0 L10,5 L0,10 z", fill: c }, m);
    }
    return "url(#" + id + ")";
  };

  Network.prototype.redrawAll = function () {
    var self = this;
    while (this.edgeLayer.firstChild) { this.edgeLayer.removeChild(this.edgeLayer.firstChild); }
    while (this.nodeLayer.firstChild) { this.nodeLayer.removeChild(this.nodeLayer.firstChild); }
    // ties between one pair of actors are drawn as curves side by side
    var pairs = {};
    this.edges.forEach(function (e) {
      var key = e.subject < e.object ? e.subject + "\u001f" + e.object : e.object + "\u001f" + e.subject;
      (pairs[key] = pairs[key] || []).push(e);
    });
    Object.keys(pairs).forEach(function (key) {
      var group = pairs[key];
      group.forEach(function (e, rank) { e.offset = (rank - (group.length - 1) / 2) * 26; });
    });
    this.edges.forEach(function (e) { self.drawEdge(e); });
    this.nodes.forEach(function (n) { self.drawNode(n); });
    this.app.setAttribute("data-edges", String(this.edges.length));
    this.app.setAttribute("data-nodes", String(this.nodes.length));
    this.draw();
  };

  Network.prototype.drawEdge = function (e) {
    var url = local(e.url);
    // ties are out of the Tab order (the actors come first; the list under the figure has every tie)
    var link = el("a", { "class": "tie " + (e.modality || "asserted") + (e.contested ? " contested" : ""),
                         tabindex: -1, "data-type": e.type }, this.edgeLayer);
    var words = (this.byId[e.subject].name) + " " + (e.label || e.type) + " " + (this.byId[e.object].name) +
      "; " + num(e.evidence) + " evidence, " + num(e.sources) + " sources; mostly " + e.modality +
      (e.credibility_label ? "; " + e.credibility_label : "") + (e.contested ? "; contested" : "");
    if (url) { link.setAttribute("href", url); }
    link.setAttribute("aria-label", words);
    el("title", {}, link).textContent = words;
    var width = 1.2 + Math.min(3, 0.8 * Math.log2(1 + num(e.evidence)));
    e.hit = el("path", { "class": "edge-hit", fill: "none", stroke: "#000000", "stroke-opacity": 0,
                         "stroke-width": 12 }, link);
    e.line = el("path", { "class": "edge", fill: "none", stroke: colour(e.colour), "stroke-width": width.toFixed(1),
                          "stroke-opacity": 0.85 }, link);
    if (DASH[e.modality]) { e.line.setAttribute("stroke-dasharray", DASH[e.modality]); }
    if (!e.symmetric) { e.line.setAttribute("marker-end", this.marker(e.colour)); }
    this.bindLink(link, url);
    e.g = link;
  };

  Network.prototype.drawNode = function (n) {
    var self = this;
    var link = el("a", { "class": "node", tabindex: 0, "data-id": n.id }, this.nodeLayer);
    if (n.url) { link.setAttribute("href", n.url); }
    link.setAttribute("aria-label", n.name + " (" + (n.kind || "actor") + "): press Enter to open, + to expand");
    el("title", {}, link).textContent = n.name + (n.kind ? " (" + n.kind + ")" : "") + ", " + n.evidence +
      " evidence in the ties shown";
    n.r = this.radius(n);
    shapeOf(n.shape, n.r, n.fill, link);
    var label = n.name.replace(/\s+/g, " ");
    if (label.length > 26) { label = label.slice(0, 25) + "…"; }
    var text = el("text", { "class": "label", x: 0, y: (n.r + 12).toFixed(1), "text-anchor": "middle",
                            "font-size": 11, fill: "#111111", stroke: "#ffffff", "stroke-width": 3,
                            "paint-order": "stroke" }, link);
    text.textContent = label;
    if (n.fixed) { link.classList.add("pinned"); }
    this.bindLink(link, n.url);
    link.addEventListener("keydown", function (event) {
      if (event.key === "+" || event.key === "e") {
        event.preventDefault();
        if (self.select) { self.select.value = n.id; }
        self.expand(n.id);
      }
    });
    n.g = link;
  };

  // Links open their page on click or Enter, except for the click that ends a drag.
  Network.prototype.bindLink = function (link, url) {
    var self = this;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      if (self.justDragged) { self.justDragged = false; return; }
      if (url) { window.location.assign(url); }
    });
    link.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && url) { event.preventDefault(); window.location.assign(url); }
    });
  };

  Network.prototype.draw = function () {
    this.nodes.forEach(function (n) {
      if (n.g) { n.g.setAttribute("transform", "translate(" + n.x.toFixed(1) + " " + n.y.toFixed(1) + ")"); }
    });
    this.declutter();
    var byId = this.byId;
    this.edges.forEach(function (e) {
      var a = byId[e.subject], b = byId[e.object];
      if (!a || !b || !e.line) { return; }
      var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / len, uy = dy / len;
      var flip = e.subject < e.object ? 1 : -1;  // side by side whichever way each tie runs
      var cx = (a.x + b.x) / 2 - uy * e.offset * flip, cy = (a.y + b.y) / 2 + ux * e.offset * flip;
      var sx = cx - a.x, sy = cy - a.y, sl = Math.sqrt(sx * sx + sy * sy) || 1;
      var ex = cx - b.x, ey = cy - b.y, el_ = Math.sqrt(ex * ex + ey * ey) || 1;
      var ra = a.r || 8, rb = (b.r || 8) + 2;
      var d = "M" + (a.x + sx / sl * ra).toFixed(1) + "," + (a.y + sy / sl * ra).toFixed(1) +
        " Q" + cx.toFixed(1) + "," + cy.toFixed(1) + " " + (b.x + ex / el_ * rb).toFixed(1) + "," +
        (b.y + ey / el_ * rb).toFixed(1);
      e.line.setAttribute("d", d);
      e.hit.setAttribute("d", d);
    });
  };

  // -- layout: a small force simulation, seeded deterministically ----------------------------------------------
  // New actors go on a sunflower spiral (in the API's order: best evidenced in the middle), or
  // around the actor they were expanded from.
  Network.prototype.seed = function (nodes, centre) {
    nodes.forEach(function (n, i) {
      var angle = (i + 1) * GOLDEN, r = centre ? 70 + 8 * Math.sqrt(i) : 28 * Math.sqrt(i + 0.5);
      n.x = (centre ? centre.x : WIDTH / 2) + r * Math.cos(angle);
      n.y = (centre ? centre.y : HEIGHT / 2) + r * Math.sin(angle);
      n.vx = 0; n.vy = 0;
    });
  };

  Network.prototype.step = function () {
    var nodes = this.nodes, n = nodes.length, alpha = this.alpha, i, j, a, b, dx, dy, d2, d, f, gap;
    for (i = 0; i < n; i++) {
      a = nodes[i];
      for (j = i + 1; j < n; j++) {
        b = nodes[j];
        dx = b.x - a.x; dy = b.y - a.y; d2 = dx * dx + dy * dy;
        if (d2 < 0.01) { dx = (j - i) % 7 - 3 || 1; dy = (i + j) % 5 - 2 || 1; d2 = dx * dx + dy * dy; }
        if (d2 > 250000) { continue; }
        d = Math.sqrt(d2);
        f = 2600 * alpha / d2;
        gap = (a.r || 8) + (b.r || 8) + 26;  // room for a label under each
        if (d < gap) { f += (gap - d) * 0.25; }
        a.vx -= dx / d * f; a.vy -= dy / d * f;
        b.vx += dx / d * f; b.vy += dy / d * f;
      }
    }
    var byId = this.byId;
    this.edges.forEach(function (e) {
      var s = byId[e.subject], t = byId[e.object];
      if (!s || !t || s === t) { return; }
      var ex = t.x - s.x, ey = t.y - s.y, dist = Math.sqrt(ex * ex + ey * ey) || 1;
      var pull = (dist - 120) / dist * 0.04 * alpha;
      s.vx += ex * pull; s.vy += ey * pull;
      t.vx -= ex * pull; t.vy -= ey * pull;
    });
    for (i = 0; i < n; i++) {
      a = nodes[i];
      if (a.fixed) { a.vx = 0; a.vy = 0; continue; }
      a.vx += (WIDTH / 2 - a.x) * 0.004 * alpha;
      a.vy += (HEIGHT / 2 - a.y) * 0.004 * alpha;
      a.vx *= 0.6; a.vy *= 0.6;
      a.x += Math.max(-30, Math.min(30, a.vx));
      a.y += Math.max(-30, Math.min(30, a.vy));
    }
    this.alpha *= 0.985;
  };

  // Runs the layout before the first frame (a figure that does not jump about as it appears).
  Network.prototype.layoutNow = function (nodes) {
    if (!nodes.length) { return; }
    this.alpha = 1;
    var steps = Math.min(MAX_TICKS, Math.max(60, Math.round(40000 / Math.max(1, this.nodes.length))));
    for (var i = 0; i < steps; i++) { this.step(); }
    this.draw();
  };

  Network.prototype.start = function (alpha, ticks) {
    var self = this;
    this.alpha = Math.max(this.alpha, alpha);
    this.ticks = Math.max(this.ticks, Math.min(MAX_TICKS, ticks || MAX_TICKS));
    this.app.setAttribute("data-state", "moving");
    if (this.running) { return; }
    this.running = true;
    function frame() {
      for (var i = 0; i < TICKS_PER_FRAME && self.ticks > 0; i++, self.ticks--) { self.step(); }
      self.draw();
      if (self.ticks > 0 && self.alpha > 0.005) {
        window.requestAnimationFrame(frame);
      } else {
        self.ticks = 0;
        self.running = false;
        // a request that failed meanwhile keeps its "error": the drawing settling does not hide it
        if (self.app.getAttribute("data-state") === "moving") { self.app.setAttribute("data-state", "settled"); }
      }
    }
    window.requestAnimationFrame(frame);
  };

  // -- around the drawing ----------------------------------------------------------------------------------------
  Network.prototype.summary = function () {
    var text = this.nodes.length + " actors, " + this.edges.length + " ties";
    if (this.total > this.limit) { text += " (the " + this.limit + " best evidenced of " + this.total + ")"; }
    if (!this.edges.length) { text = "No ties pass these filters."; }
    return text;
  };

  Network.prototype.say = function (text) { if (this.status) { this.status.textContent = text; } };

  Network.prototype.fillSelect = function () {
    if (!this.select) { return; }
    var keep = this.select.value, select = this.select;
    while (select.firstChild) { select.removeChild(select.firstChild); }
    this.nodes.slice().sort(function (a, b) { return a.name.localeCompare(b.name); }).forEach(function (n) {
      var option = html("option", null, n.name, select);
      option.value = n.id;
    });
    if (keep && this.byId[keep]) { select.value = keep; }
  };

  Network.prototype.drawLegend = function () {
    var box = this.legend;
    if (!box) { return; }
    while (box.firstChild) { box.removeChild(box.firstChild); }
    html("h3", null, "Tie types", box);
    var types = {}, order = [];
    this.edges.forEach(function (e) {
      if (!types[e.type]) { types[e.type] = e; order.push(e.type); }
    });
    var list = html("ul", null, null, box);
    order.sort().forEach(function (t) {
      var e = types[t], item = html("li", null, null, list);
      var swatch = el("svg", { width: 40, height: 10, "aria-hidden": "true" }, item);
      el("line", { x1: 1, y1: 5, x2: e.symmetric ? 39 : 31, y2: 5, stroke: colour(e.colour), "stroke-width": 2.2 },
         swatch);
      if (!e.symmetric) { el("polygon", { points: "31,1 39,5 31,9", fill: colour(e.colour) }, swatch); }
      html("span", null, (e.label || t) + (e.symmetric ? "" : " (→)"), item);
    });
    html("h3", null, "Evidence (mostly)", box);
    list = html("ul", null, null, box);
    ["asserted", "negated", "predicted"].forEach(function (m) {
      var item = html("li", null, null, list);
      var swatch = el("svg", { width: 40, height: 10, "aria-hidden": "true" }, item);
      var line = el("line", { x1: 1, y1: 5, x2: 39, y2: 5, stroke: "#555555", "stroke-width": 2.2 }, swatch);
      if (DASH[m]) { line.setAttribute("stroke-dasharray", DASH[m]); }
      html("span", null, m, item);
    });
    html("h3", null, "Actors (size: evidence)", box);
    var kinds = {};
    list = html("ul", null, null, box);
    this.nodes.forEach(function (n) {
      var k = n.kind || "other";
      if (kinds[k]) { return; }
      kinds[k] = true;
      var item = html("li", null, null, list);
      var swatch = el("svg", { width: 40, height: 16, "aria-hidden": "true" }, item);
      var g = el("g", { transform: "translate(12 8)" }, swatch);
      shapeOf(n.shape, 6, n.fill, g);
      html("span", null, k.replace(/_/g, " "), item);
    });
  };

  function boot() {
    var app = document.getElementById("network-app");
    if (!app || !window.fetch || !window.URLSearchParams) { return; }
    var network = new Network(app);
    network.load().catch(function () { /* the static figure stays */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
}());
