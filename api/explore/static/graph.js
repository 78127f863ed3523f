/* OpenCase explorer: the graph views (lineage, path, impact). Laid out left to
 * right by dagre in data-flow order (upstream on the left), drawn as SVG: every
 * node carries data-object-id, every edge data-link-type. */
(() => {
  "use strict";
  const OC = window.OpenCaseExplorer;
  const { S, el, svg, href, human, swatch, typeName, typeBadge, objLink, show, clip } = OC;
  const NODE_W = 200;
  const NODE_H = 46;
  const DAGRE_MAX = 150;
  const NODE_FIELDS = () => `id objectType title depth${S.via ? " via" : ""}`;
  const EDGE_FIELDS = "source target linkType";

  /** Graph state of one view: nodes and edges by key, plus marks. */
  function newGraph(root) {
    return { root, nodes: new Map(), edges: new Map(), expanded: new Set(), frontier: new Set(), onPath: new Set(), partial: false };
  }
  function merge(g, result) {
    for (const n of result.nodes || []) if (!g.nodes.has(n.id)) g.nodes.set(n.id, n);
    for (const e of result.edges || []) g.edges.set(`${e.source}|${e.linkType}|${e.target}`, e);
  }
  function includeArg(withContext) {
    // without context links the server's default (data flow) applies
    return S.include && withContext ? `, include: [${S.include.join(", ")}]` : "";
  }
  async function fetchLineage(id, direction, depth, withContext, maxNodes) {
    const data = await OC.gql(`query($id: ID!) { lineage(id: $id, direction: ${direction}, depth: ${depth},
      maxNodes: ${maxNodes || 500}${includeArg(withContext)}) { nodes { ${NODE_FIELDS()} } edges { ${EDGE_FIELDS} } partial } }`, { id });
    return data.lineage;
  }
  OC.fetchLineage = fetchLineage;

  // ---- drawing --------------------------------------------------------------------
  /** Positions (centre x, y per node; points per edge) from dagre, for small graphs:
   * its crossing minimisation draws them best, but costs seconds at hundreds of nodes. */
  function dagreLayout(nodes, drawn) {
    const layout = new dagre.graphlib.Graph({ multigraph: true });
    layout.setGraph({ rankdir: "LR", nodesep: 12, ranksep: 64, marginx: 16, marginy: 16 });
    layout.setDefaultEdgeLabel(() => ({}));
    for (const id of nodes) layout.setNode(id, { width: NODE_W, height: NODE_H });
    for (const [key, , from, to] of drawn) layout.setEdge(from, to, {}, key);
    dagre.layout(layout);
    const pos = new Map(nodes.map((id) => [id, layout.node(id)]));
    const points = new Map(drawn.map(([key, , from, to]) => [key, layout.edge({ v: from, w: to, name: key }).points]));
    return { pos, points, width: layout.graph().width, height: layout.graph().height };
  }

  /** A layered layout in linear time for large graphs: longest-path ranks (back edges of
   * a cycle ignored), two barycenter sweeps to order each rank, nodes placed near the
   * mean height of their upstream neighbours. */
  function fastLayout(nodes, drawn) {
    const out = new Map(nodes.map((id) => [id, []]));
    const inc = new Map(nodes.map((id) => [id, []]));
    for (const [, , from, to] of drawn) if (from !== to) (out.get(from).push(to), inc.get(to).push(from));
    const state = new Map();
    const topo = [];
    const back = new Set();
    for (const start of nodes) {
      if (state.has(start)) continue;
      const stack = [[start, 0]];
      state.set(start, 1);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const next = out.get(top[0])[top[1]++];
        if (next === undefined) (state.set(top[0], 2), topo.push(top[0]), stack.pop());
        else if (!state.has(next)) (state.set(next, 1), stack.push([next, 0]));
        else if (state.get(next) === 1) back.add(top[0] + "\n" + next);
      }
    }
    topo.reverse();
    const rank = new Map();
    for (const v of topo) rank.set(v, Math.max(0, ...inc.get(v).filter((u) => !back.has(u + "\n" + v)).map((u) => rank.get(u) + 1)));
    for (const v of [...topo].reverse()) {
      const succ = out.get(v).filter((w) => !back.has(v + "\n" + w));
      if (!inc.get(v).length && succ.length) rank.set(v, Math.min(...succ.map((w) => rank.get(w))) - 1);
    }
    const low = Math.min(0, ...rank.values());
    const layers = [];
    for (const v of topo) rank.set(v, rank.get(v) - low);
    for (const v of topo) (layers[rank.get(v)] ||= []).push(v);
    const index = new Map();
    const sweep = (layer, near) => {
      const bary = (v) => { const ns = near(v); return ns.length ? ns.reduce((s, u) => s + index.get(u), 0) / ns.length : index.get(v); };
      const keyed = layer.map((v) => [bary(v), v]).sort((a, b) => a[0] - b[0]);
      keyed.forEach(([, v], i) => (layer[i] = v, index.set(v, i)));
    };
    layers.forEach((layer) => layer && layer.forEach((v, i) => index.set(v, i)));
    for (let pass = 0; pass < 2; pass++) {
      for (const layer of layers) if (layer) sweep(layer, (v) => inc.get(v));
      for (const layer of [...layers].reverse()) if (layer) sweep(layer, (v) => out.get(v));
    }
    const pos = new Map();
    const STEP = NODE_H + 12;
    let height = 0;
    layers.forEach((layer, r) => {
      let floor = 16 + NODE_H / 2;
      for (const v of layer || []) {
        const ups = inc.get(v).filter((u) => pos.has(u));
        const want = ups.length ? ups.reduce((s, u) => s + pos.get(u).y, 0) / ups.length : floor;
        const y = Math.max(floor, want);
        pos.set(v, { x: 16 + NODE_W / 2 + r * (NODE_W + 64), y });
        floor = y + STEP;
        height = Math.max(height, y + NODE_H / 2 + 16);
      }
    });
    const points = new Map(drawn.map(([key, , from, to]) => {
      const a = pos.get(from), b = pos.get(to);
      return [key, [{ x: a.x + NODE_W / 2, y: a.y }, { x: b.x - NODE_W / 2, y: b.y }]];
    }));
    return { pos, points, width: layers.length * (NODE_W + 64) + 32, height, curved: true };
  }

  /** Lay the graph out and draw it as SVG into `box`; returns the SVG element. */
  function draw(box, g, handlers) {
    const drawn = [];
    for (const [key, e] of g.edges) {
      if (!g.nodes.has(e.source) || !g.nodes.has(e.target)) continue;
      const [from, to] = e.flow || OC.flowsForward(e.linkType) ? [e.source, e.target] : [e.target, e.source];
      drawn.push([key, e, from, to]);
    }
    const ids = [...g.nodes.keys()];
    const layout = ids.length <= DAGRE_MAX ? dagreLayout(ids, drawn) : fastLayout(ids, drawn);
    const root = svg("svg", { width: Math.max(layout.width, 300), height: Math.max(layout.height, 120), class: "graph", role: "group",
      "aria-label": `Graph of ${g.nodes.size} objects and ${drawn.length} links` });
    root.append(svg("defs", {},
      svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" },
        svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }))));
    const edgeLayer = svg("g", { class: "edges" });
    for (const [key, e, from, to] of drawn) {
      const pts = layout.points.get(key);
      const [a, b] = [pts[0], pts[pts.length - 1]];
      const d = layout.curved
        ? `M${a.x},${a.y} C${a.x + 32},${a.y} ${b.x - 32},${b.y} ${b.x},${b.y}`
        : "M" + pts.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" L");
      const kind = OC.isContext(e.linkType) ? "context" : "flow";
      const onPath = g.onPath.has(key);
      edgeLayer.append(svg("path", { d, class: `edge ${kind}${onPath ? " on-path" : ""}`, "marker-end": "url(#arrow)",
        "data-link-type": e.linkType, "data-source": e.source, "data-target": e.target },
        svg("title", {}, `${e.linkType}: ${e.source} → ${e.target}`)));
    }
    const nodeLayer = svg("g", { class: "nodes" });
    for (const n of g.nodes.values()) {
      const pos = layout.pos.get(n.id);
      const sw = swatch(n.objectType);
      const x = pos.x - NODE_W / 2;
      const y = pos.y - NODE_H / 2;
      const classes = ["node", n.id === g.root ? "root" : "", g.onPath.has(n.id) ? "on-path" : ""].join(" ").trim();
      const label = `${typeName(n.objectType)}: ${n.title}${n.via ? ` (via ${n.via})` : ""}`;
      const node = svg("g", { class: classes, "data-object-id": n.id, "data-object-type": n.objectType, tabindex: 0, role: "link",
        "aria-label": `Open ${label}`, transform: `translate(${x},${y})` },
        svg("title", {}, label),
        svg("rect", { width: NODE_W, height: NODE_H, rx: 6, fill: sw.fill, stroke: sw.stroke }),
        svg("text", { x: 10, y: 18, class: "title", fill: sw.text }, clip(n.title || n.id, 25)),
        svg("text", { x: 10, y: 35, class: "type", fill: sw.text }, typeName(n.objectType)));
      if (!g.expanded.has(n.id)) {
        const more = g.frontier.has(n.id);
        node.append(svg("g", { class: `expand${more ? " more" : ""}`, "data-expand": n.id, tabindex: 0, role: "button",
          "aria-label": `Expand the neighbours of ${n.title}`, transform: `translate(${NODE_W - (more ? 44 : 22)},${NODE_H - 20})` },
          svg("rect", { width: more ? 40 : 18, height: 16, rx: 8 }),
          svg("text", { x: more ? 20 : 9, y: 12, "text-anchor": "middle" }, more ? "more" : "+")));
      }
      nodeLayer.append(node);
    }
    root.append(edgeLayer, nodeLayer);
    const activate = (ev) => {
      const expand = ev.target.closest("[data-expand]");
      if (expand) return handlers.expand(expand.getAttribute("data-expand"));
      const node = ev.target.closest("[data-object-id]");
      if (node) handlers.open(node.getAttribute("data-object-id"));
    };
    root.addEventListener("click", activate);
    root.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        activate(ev);
      }
    });
    box.replaceChildren(root);
    return root;
  }

  function legend(g) {
    const types = [...new Set([...g.nodes.values()].map((n) => n.objectType))];
    return el("ul", { class: "legend" },
      types.map((api) => el("li", {}, typeBadge(api))),
      el("li", {}, el("span", { class: "line flow" }), " data flow"),
      S.include ? el("li", {}, el("span", { class: "line context" }), " context") : null,
      g.onPath.size ? el("li", {}, el("span", { class: "line path" }), " path") : null);
  }
  function asList(g) {
    return el("details", { class: "as-list" }, el("summary", {}, "Objects and links as a list"),
      el("ul", {}, [...g.nodes.values()].map((n) => el("li", {}, objLink(n), n.via ? el("span", { class: "muted" }, ` via ${n.via}`) : null))),
      el("ul", {}, [...g.edges.values()].map((e) => el("li", {}, `${e.source} —${e.linkType}→ ${e.target}`))));
  }

  /** A graph view: header, controls, canvas, legend; redraws in place on expand. */
  function graphView(title, g, controls, note) {
    const box = el("div", { class: "canvas" });
    const status = el("p", { class: "muted", role: "status" });
    const legendBox = el("div");
    const listBox = el("div");
    function redraw() {
      const started = performance.now();
      draw(box, g, {
        open: (id) => OC.navigate(href("object", id)),
        expand: (id) => expand(id).catch((err) => (status.textContent = err.message)),
      });
      OC.lastDrawMs = performance.now() - started;
      status.textContent = `${g.nodes.size} objects, ${g.edges.size} links` + (g.partial ? " — partial: objects marked “more” have further neighbours" : "");
      legendBox.replaceChildren(legend(g));
      listBox.replaceChildren(asList(g));
    }
    async function expand(id) {
      const result = await fetchLineage(id, "BOTH", 1, !!OC.withContext, 200);
      merge(g, result);
      g.expanded.add(id);
      g.frontier.delete(id);
      redraw();
      const again = box.querySelector(`[data-object-id="${CSS.escape(id)}"]`);
      if (again) again.focus();
    }
    show(el("h1", {}, title), note || null, controls, status, legendBox, box, listBox);
    redraw();
    return { redraw };
  }

  function markFrontier(g, result) {
    g.partial = g.partial || !!result.partial;
    if (!result.partial) return;
    const deepest = Math.max(...result.nodes.map((n) => n.depth));
    for (const n of result.nodes) if (n.depth === deepest) g.frontier.add(n.id);
  }

  async function rootTitle(id) {
    const data = await OC.gql("query($id: ID!) { object(id: $id) { id objectType title } }", { id });
    if (!data.object) throw new Error(`no visible object ${id}`);
    return data.object;
  }

  // ---- lineage --------------------------------------------------------------------
  OC.lineageView = async (id, params) => {
    const direction = (params.get("direction") || "BOTH").toUpperCase();
    const depth = Math.min(10, Math.max(1, parseInt(params.get("depth") || "3", 10)));
    const withContext = params.get("context") === "1";
    OC.withContext = withContext;
    const [obj, result] = await Promise.all([rootTitle(id), fetchLineage(id, direction, depth, withContext, parseInt(params.get("maxNodes") || "500", 10))]);
    const g = newGraph(id);
    merge(g, result);
    markFrontier(g, result);
    const controls = lineageControls(id, direction, depth, withContext);
    graphView(`Lineage of ${obj.title}`, g, controls,
      el("p", {}, objLink(obj), " ", el("a", { class: "button secondary", href: href("impact", id) }, "Impact downstream")));
  };

  function lineageControls(id, direction, depth, withContext) {
    const form = el("form", { class: "controls", "aria-label": "Lineage settings" },
      el("label", { for: "lin-dir" }, "Direction "),
      el("select", { id: "lin-dir", name: "direction" }, ["UPSTREAM", "DOWNSTREAM", "BOTH"].map((d) =>
        el("option", { value: d, selected: d === direction }, human(d.toLowerCase())))),
      el("label", { for: "lin-depth" }, " Depth "),
      el("input", { id: "lin-depth", name: "depth", type: "number", min: 1, max: 10, value: depth }),
      S.include ? el("label", {}, " ", el("input", { type: "checkbox", name: "context", checked: withContext }), " context links") : null,
      " ", el("button", { type: "submit" }, "Show"));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const q = new URLSearchParams({ direction: form.direction.value, depth: form.depth.value });
      if (form.context && form.context.checked) q.set("context", "1");
      OC.navigate(`${href("lineage", id)}?${q}`);
    });
    const pathForm = el("form", { class: "controls", "aria-label": "Path to another object" },
      el("label", { for: "path-to" }, "Path to "),
      el("input", { id: "path-to", name: "to", placeholder: "an id, or text to search", size: 32 }),
      " ", el("button", { type: "submit" }, "Find path"), el("span", { class: "choices" }));
    pathForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const text = pathForm.to.value.trim();
      if (S.types[text.split(":")[0]] && text.includes(":")) return OC.navigate(href("path", id, text));
      const data = await OC.gql("query($t: String!) { search(text: $t, first: 8) { id objectType title } }", { t: text });
      pathForm.querySelector(".choices").replaceChildren(...data.search.map((hit) =>
        el("a", { class: "choice", href: href("path", id, hit.id) }, typeBadge(hit.objectType), " ", clip(hit.title, 30))));
    });
    return el("div", {}, form, pathForm);
  }

  // ---- path -----------------------------------------------------------------------
  OC.pathView = async (from, to, params) => {
    const depth = parseInt(params.get("maxDepth") || "8", 10);
    const inc = S.pathArgs.has("include") ? includeArg(params.get("context") === "1") : "";
    const data = await OC.gql(`query($f: ID!, $t: ID!) { path(from: $f, to: $t, maxDepth: ${depth}${inc}) {
      length nodes { ${NODE_FIELDS()} } edges { ${EDGE_FIELDS} } } }`, { f: from, t: to });
    if (!data.path) {
      return show(el("h1", {}, "No path"), el("p", {}, `No chain of at most ${depth} links joins `, el("code", {}, from), " and ", el("code", {}, to), "."));
    }
    const g = newGraph(from);
    merge(g, await fetchLineage(from, "BOTH", 1, false, 100));
    merge(g, data.path);
    for (const n of data.path.nodes) g.onPath.add(n.id);
    for (const e of data.path.edges) g.onPath.add(`${e.source}|${e.linkType}|${e.target}`);
    const ends = data.path.nodes;
    graphView(`Path: ${ends[0].title} → ${ends[ends.length - 1].title}`, g, null,
      el("p", {}, `${data.path.length} link(s) from `, objLink(ends[0]), " to ", objLink(ends[ends.length - 1]), " (highlighted)."));
  };

  // ---- impact ---------------------------------------------------------------------
  OC.impactView = async (id, params) => {
    const depth = parseInt(params.get("depth") || "8", 10);
    const chosen = params.get("types") ? params.get("types").split(",") : [];
    const obj = await rootTitle(id);
    let result;
    if (S.query.impact) {
      // every affected object with the chain of flow links that reaches it: the graph is
      // the union of the chains' last hops, already in data-flow order
      const data = await OC.gql(`query($id: ID!) { impact(id: $id, depth: ${depth}, maxNodes: 500) {
        nodes { id objectType title depth via path { id objectType } } partial } }`, { id });
      const nodes = [{ ...obj, depth: 0 }, ...data.impact.nodes];
      const known = new Set(nodes.map((n) => n.id));
      const edges = [];
      for (const n of data.impact.nodes) {
        const chain = n.path || [];
        for (const hop of chain) if (!known.has(hop.id)) (known.add(hop.id), nodes.push({ ...hop, title: hop.id, depth: 0 }));
        if (chain.length >= 2) edges.push({ source: chain[chain.length - 2].id, target: n.id, linkType: n.via, flow: true });
      }
      result = { nodes, edges, partial: data.impact.partial };
    } else {
      result = await fetchLineage(id, "DOWNSTREAM", depth, false, 500);
    }
    const g = newGraph(id);
    merge(g, result);
    markFrontier(g, result);
    const reached = [...g.nodes.values()].filter((n) => n.id !== id);
    const types = [...new Set(reached.map((n) => n.objectType))];
    const hits = chosen.length ? reached.filter((n) => chosen.includes(n.objectType)) : reached;
    if (chosen.length) for (const n of hits) g.onPath.add(n.id);
    const filter = !types.length ? null : el("p", { class: "chips" }, "List: ", types.map((api) => {
      const on = chosen.includes(api);
      const next = on ? chosen.filter((x) => x !== api) : [...chosen, api];
      return el("a", { class: `chip${on ? " on" : ""}`, "aria-label": `${typeName(api)}${on ? " (listed; click to drop)" : ""}`,
        href: `${href("impact", id)}${next.length ? `?types=${next.join(",")}` : ""}` }, typeBadge(api));
    }));
    const table = el("section", { class: "impact" }, el("h2", {}, `${hits.length} affected object(s)`),
      el("ul", { class: "hits" }, hits.map((n) => el("li", {}, objLink(n), el("span", { class: "muted" }, ` ${n.depth} hop(s)`)))));
    graphView(`Impact of ${obj.title}`, g, filter,
      el("p", {}, "Everything downstream of ", objLink(obj), ". ", el("a", { href: href("lineage", id) }, "Back to its lineage")));
    OC.S.lastImpact = hits.map((n) => n.id);
    document.getElementById("view").append(table);
  };

  OC.start();
})();
