/* OpenCase explorer: search, object pages, lineage graphs and overview charts,
 * all read through the public GraphQL API. Types, fields, link types and
 * action forms come from the ontology and introspection at start; the palette
 * and the chart list come with the page (generated from the ontology). */
(() => {
  "use strict";
  const CONFIG = JSON.parse(document.getElementById("opencase-config").textContent);
  const BASE = CONFIG.base;
  const KEY_STORE = "opencase.apiKey";
  const PAGE = 10;
  const SVG = "http://www.w3.org/2000/svg";
  const view = document.getElementById("view");
  const S = { ready: null, types: {}, byName: {}, links: {}, actions: [], mutations: {}, query: {} };
  const OC = (window.OpenCaseExplorer = { S, CONFIG });

  // ---- small DOM helpers ---------------------------------------------------------
  function el(tag, attrs, ...kids) {
    const node = tag.startsWith("svg:")
      ? document.createElementNS(SVG, tag.slice(4))
      : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined || kid === false) continue;
      node.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return node;
  }
  const svg = (tag, attrs, ...kids) => el("svg:" + tag, attrs, ...kids);
  const encId = (id) => encodeURIComponent(id).replace(/%3A/gi, ":").replace(/%40/g, "@");
  const href = (...parts) => BASE + "/" + parts.map(encId).join("/");
  const human = (name) => name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());
  const swatch = (api) => CONFIG.palette[api] || { fill: "#e5e7eb", stroke: "#374151", text: "#1a1a1a", name: api };
  const typeName = (api) => (S.types[api] ? S.types[api].name : api);
  const clip = (text, n) => (text.length > n ? text.slice(0, n - 1) + "…" : text);

  function typeBadge(api) {
    const sw = swatch(api);
    return el("span", { class: "badge", style: `--fill:${sw.fill};--stroke:${sw.stroke}` }, typeName(api));
  }
  function objLink(node) {
    return el("a", { href: href("object", node.id), class: "obj" }, typeBadge(node.objectType), " ", node.title || node.id);
  }
  function show(...kids) {
    view.replaceChildren(...kids.flat(2).filter((k) => k !== null && k !== undefined && k !== false));
  }
  function fail(err) {
    show(el("div", { class: "error", role: "alert" }, el("strong", {}, "Error: "), err.message || String(err)));
  }

  // ---- GraphQL --------------------------------------------------------------------
  class GqlError extends Error {
    constructor(errors) {
      super(errors.map((e) => e.message).join("; "));
      this.errors = errors;
    }
  }
  async function gql(query, variables) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    const key = localStorage.getItem(KEY_STORE);
    if (key) headers["X-API-Key"] = key;
    const response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables: variables || {} }),
    });
    let body;
    try {
      body = await response.json();
    } catch (_) {
      throw new GqlError([{ message: `the API answered HTTP ${response.status}` }]);
    }
    if (body.errors && body.errors.length) throw new GqlError(body.errors);
    return body.data;
  }
  OC.gql = gql;

  // ---- the schema: ontology + introspection ---------------------------------------
  const TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";
  function typeString(t) {
    if (t.kind === "NON_NULL") return typeString(t.ofType) + "!";
    if (t.kind === "LIST") return "[" + typeString(t.ofType) + "]";
    return t.name;
  }
  function namedType(t) {
    return t.ofType ? namedType(t.ofType) : t;
  }
  async function loadSchema() {
    const intro = await gql(`{
      __schema {
        queryType { fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF} } } }
        mutationType { fields { name args { name type { ${TYPE_REF} } } } }
      }
      lt: __type(name: "LinkTypeInfo") { fields { name } }
      at: __type(name: "ActionTypeInfo") { fields { name } }
      gn: __type(name: "GraphNode") { fields { name } }
      oo: __type(name: "OntologyObject") { fields { name type { ${TYPE_REF} } } }
    }`);
    for (const f of intro.__schema.queryType.fields) S.query[f.name] = f;
    for (const f of (intro.__schema.mutationType || { fields: [] }).fields) S.mutations[f.name] = f;
    const ltFields = new Set(intro.lt.fields.map((f) => f.name));
    const atFields = new Set(intro.at.fields.map((f) => f.name));
    S.via = intro.gn.fields.some((f) => f.name === "via");
    S.common = intro.oo.fields
      .filter((f) => !["id", "objectType", "title"].includes(f.name) && namedType(f.type).kind === "SCALAR")
      .map((f) => f.name);
    const extraLt = ["role", "upstream"].filter((n) => ltFields.has(n)).join(" ");
    const extraAt = ["subjectTypes"].filter((n) => atFields.has(n)).join(" ");
    const data = await gql(`{ ontology {
      objectTypes { name apiName description titleProperty listField area
        properties { name fieldName type enum description required } }
      linkTypes { apiName source targets cardinality forwardField reverseField description ${extraLt} }
      actionTypes { name apiName description touches admin ${extraAt}
        parameters { name fieldName type enum description required } }
      enums { name values } } }`);
    const onto = data.ontology;
    S.enums = Object.fromEntries(onto.enums.map((e) => [e.name, e.values]));
    for (const t of onto.objectTypes) {
      S.types[t.apiName] = t;
      S.byName[t.name] = t;
    }
    for (const lt of onto.linkTypes) S.links[lt.apiName] = lt;
    S.actions = onto.actionTypes;
    // the audit link: the one link type that reaches (nearly) every object type
    const audit = onto.linkTypes.find((lt) => lt.targets.length * 2 > onto.objectTypes.length);
    S.auditLink = audit ? audit.apiName : null;
    S.auditType = audit ? S.byName[audit.source] : null;
    S.lineageArgs = new Set(S.query.lineage.args.map((a) => a.name));
    S.pathArgs = new Set(S.query.path.args.map((a) => a.name));
    S.include = null;
    const inc = S.query.lineage.args.find((a) => a.name === "include");
    if (inc) {
      const name = namedType(inc.type).name;
      const values = await gql(`{ t: __type(name: "${name}") { enumValues { name } } }`);
      S.include = values.t.enumValues.map((v) => v.name);
    }
  }
  OC.loadSchema = loadSchema;

  /** Which way data flows over a link: true when it flows source -> target. */
  function flowsForward(lt) {
    const info = S.links[lt];
    if (!info || !info.upstream) return true;
    return String(info.upstream).toLowerCase() === "source";
  }
  function isContext(lt) {
    const info = S.links[lt];
    return !!(info && info.role && String(info.role).toLowerCase() === "context");
  }
  OC.flowsForward = flowsForward;

  // ---- navigation -----------------------------------------------------------------
  function navigate(url, replace) {
    if (replace) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
    route();
  }
  OC.navigate = navigate;
  document.addEventListener("click", (ev) => {
    const a = ev.target.closest && ev.target.closest("a[href]");
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !(url.pathname === BASE || url.pathname.startsWith(BASE + "/"))) return;
    ev.preventDefault();
    navigate(url.pathname + url.search);
  });
  window.addEventListener("popstate", () => route());

  async function route() {
    const rest = location.pathname.slice(BASE.length).split("/").filter(Boolean).map(decodeURIComponent);
    const params = new URLSearchParams(location.search);
    const [name, a, b] = rest;
    show(el("p", { class: "muted" }, "Loading…"));
    try {
      await S.ready;
      if (!name) home();
      else if (name === "search") await searchView(params.get("q") || "");
      else if (name === "object") await objectView(a);
      else if (name === "lineage") await OC.lineageView(a, params);
      else if (name === "path") await OC.pathView(a, b, params);
      else if (name === "impact") await OC.impactView(a, params);
      else if (name === "overview") await overview();
      else if (name === "list") await listView(a, params);
      else show(el("h1", {}, "Not found"), el("p", {}, "No explorer view at ", location.pathname));
    } catch (err) {
      fail(err);
    }
    const heading = view.querySelector("h1");
    document.title = (heading ? heading.textContent + " · " : "") + "OpenCase explorer";
  }

  // ---- search and lists -----------------------------------------------------------
  function home() {
    const types = Object.values(S.types);
    show(
      el("h1", {}, "Explore the graph"),
      el("p", {}, "Search above, open the ", el("a", { href: BASE + "/overview" }, "overview"), ", or start from an object type:"),
      el("ul", { class: "types" }, types.map((t) =>
        el("li", {}, el("a", { href: href("list", t.apiName) }, typeBadge(t.apiName)), el("span", { class: "muted" }, " ", t.description)))),
    );
  }

  async function searchView(text) {
    document.getElementById("search-text").value = text;
    if (!text.trim()) return home();
    const data = await gql("query($t: String!) { search(text: $t, first: 100) { id objectType title } }", { t: text });
    const groups = new Map();
    for (const hit of data.search) {
      if (!groups.has(hit.objectType)) groups.set(hit.objectType, []);
      groups.get(hit.objectType).push(hit);
    }
    show(
      el("h1", {}, `Search: ${text}`),
      el("p", { class: "muted" }, `${data.search.length} result(s) in ${groups.size} object type(s)`),
      [...groups].map(([api, hits]) =>
        el("section", { class: "group", "data-object-type": api },
          el("h2", {}, typeBadge(api), ` ${hits.length}`),
          el("ul", { class: "hits" }, hits.map((hit) =>
            el("li", {}, objLink(hit), " ", el("a", { class: "small", href: href("lineage", hit.id), "aria-label": `Lineage of ${hit.title}` }, "lineage")))))),
    );
  }

  async function listView(api, params) {
    const t = S.types[api];
    if (!t) throw new Error(`unknown object type ${api}`);
    const where = params.get("where") ? JSON.parse(params.get("where")) : null;
    const list = el("ul", { class: "hits" });
    const more = el("button", { type: "button" }, "Show more");
    const count = el("p", { class: "muted" });
    let after = null;
    async function page() {
      const data = await gql(
        `query($w: ${t.name}Where, $a: String) { l: ${t.listField}(where: $w, first: 50, after: $a) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { id objectType title } } } }`,
        { w: where, a: after },
      );
      for (const e of data.l.edges) list.append(el("li", {}, objLink(e.node)));
      after = data.l.pageInfo.endCursor;
      count.textContent = `${data.l.totalCount} object(s)`;
      more.hidden = !data.l.pageInfo.hasNextPage;
    }
    more.addEventListener("click", () => page().catch(fail));
    await page();
    show(
      el("h1", {}, human(t.listField)),
      where ? el("p", {}, "Filtered by ", el("code", {}, JSON.stringify(where))) : null,
      count, list, more,
    );
  }

  // ---- object page ----------------------------------------------------------------
  const single = (lt, forward) =>
    forward ? ["one-to-one", "many-to-one"].includes(lt.cardinality) : ["one-to-one", "one-to-many"].includes(lt.cardinality);
  function linkFieldsOf(t) {
    const out = [];
    for (const lt of Object.values(S.links)) {
      if (lt.source === t.name) out.push({ lt, forward: true, field: lt.forwardField });
      if (lt.targets.includes(t.name)) out.push({ lt, forward: false, field: lt.reverseField });
    }
    return out;
  }
  const CONN = "totalCount pageInfo { hasNextPage endCursor } edges { node { id objectType title } }";

  function historyQuery() {
    const a = S.auditType;
    const when = a.properties.find((p) => p.type === "datetime");
    const order = when ? `, orderBy: [{ field: ${when.fieldName}, direction: DESC }]` : "";
    const fields = a.properties.filter((p) => p.type !== "json").map((p) => p.fieldName).join(" ");
    return { order, fields, cols: a.properties.filter((p) => p.type !== "json") };
  }

  async function objectView(id) {
    const t = S.types[id.split(":")[0]];
    if (!t) throw new Error(`${id} is not an OpenCase id`);
    const links = linkFieldsOf(t);
    const audit = links.find((l) => l.lt.apiName === S.auditLink && !l.forward);
    const hq = S.auditType ? historyQuery() : null;
    const sel = links.filter((l) => l !== audit).map((l, i) =>
      single(l.lt, l.forward) ? `l${i}: ${l.field} { id objectType title }` : `l${i}: ${l.field}(first: ${PAGE}) { ${CONN} }`);
    const hist = audit ? `hist: ${audit.field}(first: 20${hq.order}) { totalCount edges { node { id ${hq.fields} } } }` : "";
    const props = t.properties.map((p) => p.fieldName).join(" ");
    const data = await gql(
      `query($id: ID!) { object(id: $id) { id objectType title ${S.common.join(" ")}
        ... on ${t.name} { ${props} ${sel.join(" ")} ${hist} } } }`,
      { id },
    );
    const obj = data.object;
    if (!obj) return deletedView(id, t);
    const shown = links.filter((l) => l !== audit);
    show(
      el("p", { class: "crumbs" }, el("a", { href: href("list", t.apiName) }, human(t.listField)), " / ", obj.id),
      el("h1", {}, typeBadge(t.apiName), " ", obj.title),
      el("p", { class: "muted" }, t.description),
      el("p", { class: "actions-row" },
        el("a", { class: "button", href: href("lineage", id) }, "Lineage"), " ",
        el("a", { class: "button", href: href("impact", id) }, "Impact")),
      el("div", { class: "object-grid" },
        el("section", {}, el("h2", {}, "Properties"), propertyTable(t, obj)),
        el("section", {}, el("h2", {}, "Links"),
          shown.map((l, i) => linkGroup(id, t, l, obj["l" + i])).filter(Boolean))),
      audit ? historySection(obj.hist, hq) : null,
      actionsSection(t, id),
    );
  }

  function fmt(value) {
    if (value === null || value === undefined || value === "") return el("span", { class: "muted" }, "—");
    if (Array.isArray(value)) return value.join(", ");
    if (typeof value === "object") return el("code", {}, JSON.stringify(value));
    return String(value);
  }
  const empty = (v) => v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length);
  function propertyTable(t, obj) {
    const row = (p) => el("tr", {}, el("th", { scope: "row" }, human(p.fieldName), el("div", { class: "desc" }, p.description)), el("td", {}, fmt(obj[p.fieldName])));
    const rows = t.properties.filter((p) => !empty(obj[p.fieldName])).map(row);
    for (const c of S.common) rows.push(el("tr", { class: "system" }, el("th", { scope: "row" }, human(c)), el("td", {}, fmt(obj[c]))));
    const unset = t.properties.filter((p) => empty(obj[p.fieldName]));
    return el("div", {}, el("table", { class: "props" }, el("tbody", {}, rows)),
      unset.length ? el("details", { class: "unset" }, el("summary", {}, `${unset.length} propert${unset.length > 1 ? "ies" : "y"} without a value`),
        el("table", { class: "props" }, el("tbody", {}, unset.map(row)))) : null);
  }

  function linkGroup(id, t, l, value) {
    const other = l.forward ? l.lt.targets : [l.lt.source];
    const arrow = l.forward ? "→" : "←";
    const head = el("h3", {}, `${human(l.field)} ${arrow} `, other.map((n) => typeBadge(S.byName[n] ? S.byName[n].apiName : n)),
      el("span", { class: "lt", title: l.lt.description }, ` ${l.lt.apiName}`));
    const section = el("section", { class: "links", "data-link-type": l.lt.apiName, "data-direction": l.forward ? "out" : "in" }, head);
    if (single(l.lt, l.forward)) {
      if (!value) return null;
      section.append(el("ul", {}, el("li", {}, objLink(value))));
      return section;
    }
    if (!value || !value.totalCount) return null;
    const list = el("ul", {}, value.edges.map((e) => el("li", {}, objLink(e.node))));
    section.append(list);
    let info = value.pageInfo;
    const note = el("span", { class: "muted" }, ` ${value.edges.length} of ${value.totalCount}`);
    if (info.hasNextPage) {
      const more = el("button", { type: "button", class: "small" }, "Show more");
      more.addEventListener("click", async () => {
        try {
          const data = await gql(`query($id: ID!, $a: String) { object(id: $id) { ... on ${t.name} {
            p: ${l.field}(first: ${PAGE}, after: $a) { ${CONN} } } } }`, { id, a: info.endCursor });
          for (const e of data.object.p.edges) list.append(el("li", {}, objLink(e.node)));
          info = data.object.p.pageInfo;
          note.textContent = ` ${list.children.length} of ${data.object.p.totalCount}`;
          more.hidden = !info.hasNextPage;
        } catch (err) {
          note.textContent = ` ${err.message}`;
        }
      });
      section.append(el("p", {}, more, note));
    }
    return section;
  }

  function historyTable(edges, hq) {
    return el("table", { class: "history" },
      el("thead", {}, el("tr", {}, hq.cols.map((c) => el("th", { scope: "col" }, human(c.fieldName))))),
      el("tbody", {}, edges.map((e) => el("tr", {}, hq.cols.map((c) => el("td", {}, fmt(e.node[c.fieldName])))))));
  }
  function historySection(hist, hq) {
    const title = el("h2", {}, `History (${human(S.auditType.listField)})`);
    if (!hist || !hist.totalCount) return el("section", {}, title, el("p", { class: "muted" }, "No action has touched this object."));
    return el("section", { class: "history-section" }, title, historyTable(hist.edges, hq));
  }

  async function deletedView(id, t) {
    const head = [el("h1", {}, typeBadge(t.apiName), " ", id),
      el("p", { class: "deleted", role: "status" }, el("strong", {}, "Deleted or absent. "),
        "The graph has no visible object with this id: it was soft-deleted, or never existed.")];
    const a = S.auditType;
    const ids = a && a.properties.find((p) => p.type === "string_list");
    if (!ids) return show(...head);
    const hq = historyQuery();
    const data = await gql(`query($w: ${a.name}Where) { l: ${a.listField}(where: $w, first: 20${hq.order}) {
      totalCount edges { node { id ${hq.fields} } } } }`, { w: { [ids.fieldName]: { contains: id } } });
    show(...head, el("h2", {}, "Actions that touched it"),
      data.l.totalCount ? historyTable(data.l.edges, hq) : el("p", { class: "muted" }, "None recorded."));
  }

  // ---- actions --------------------------------------------------------------------
  /** Actions offered on an object: they touch its type and take its id as first parameter. */
  function actionsFor(t) {
    return S.actions.filter((a) => {
      if (a.admin || !S.mutations[a.name]) return false;
      if (a.subjectTypes) return a.subjectTypes.includes(t.name) || a.subjectTypes.includes(t.apiName);
      const first = a.parameters[0];
      return a.touches.includes(t.name) && first && first.required && first.name.endsWith("_id");
    });
  }
  function actionsSection(t, id) {
    const actions = actionsFor(t);
    if (!actions.length) return null;
    const hasKey = !!localStorage.getItem(KEY_STORE);
    return el("section", { class: "actions" },
      el("h2", {}, "Actions"),
      el("p", { class: "muted" }, hasKey ? "Run with the API key you gave (it needs write scope)." : "Running an action needs a write key (API key, top right)."),
      actions.map((a) => actionForm(a, id)));
  }
  function inputFor(a, p, id, subject) {
    const arg = (S.mutations[a.name].args || []).find((x) => x.name === p.fieldName);
    const attrs = { id: `${a.name}-${p.fieldName}`, name: p.fieldName, "aria-describedby": `${a.name}-${p.fieldName}-err`, required: p.required };
    if (subject) return el("input", { ...attrs, value: id, readonly: true });
    if (p.type === "enum") {
      return el("select", attrs, p.required ? null : el("option", { value: "" }, "—"),
        (S.enums[p.enum] || []).map((v) => el("option", { value: v }, v)));
    }
    if (p.type === "bool") return el("input", { ...attrs, type: "checkbox", required: false });
    if (p.type === "json" || (p.type === "string" && /note|reason|description|body|notes/.test(p.name))) return el("textarea", { ...attrs, rows: 2 });
    const kinds = { int: "number", long: "number", float: "number", date: "date", datetime: "datetime-local" };
    return el("input", { ...attrs, type: kinds[p.type] || "text", step: p.type === "float" ? "any" : null,
      placeholder: p.type === "string_list" ? "comma-separated" : null, "data-gql-type": arg ? typeString(arg.type) : "" });
  }
  function valueOf(p, input) {
    if (p.type === "bool") return input.checked;
    const raw = input.value.trim();
    if (raw === "") return p.required ? "" : null; // the server names an empty required one
    if (p.type === "int") return parseInt(raw, 10);
    if (p.type === "float") return parseFloat(raw);
    if (p.type === "string_list") return raw.split(",").map((s) => s.trim()).filter(Boolean);
    if (p.type === "json") return JSON.parse(raw);
    if (p.type === "datetime") return new Date(raw).toISOString();
    return raw;
  }
  function actionForm(a, id) {
    const fields = a.parameters.map((p, i) => {
      const input = inputFor(a, p, id, i === 0);
      return el("div", { class: "field", "data-param": p.fieldName },
        el("label", { for: input.id }, human(p.fieldName), p.required ? " *" : ""), input,
        el("div", { class: "hint" }, p.description),
        el("div", { class: "field-error", id: `${a.name}-${p.fieldName}-err`, role: "alert" }));
    });
    const status = el("div", { class: "form-status", role: "status" });
    const form = el("form", { class: "action-form", "data-action": a.name, novalidate: true }, fields,
      el("button", { type: "submit" }, `Run ${human(a.name)}`), status);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      form.querySelectorAll(".field-error").forEach((n) => (n.textContent = ""));
      form.querySelectorAll("[aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
      status.textContent = "Running…";
      const args = S.mutations[a.name].args;
      const vars = {};
      try {
        for (const p of a.parameters) {
          const v = valueOf(p, form.elements[p.fieldName]);
          if (v !== null) vars[p.fieldName] = v;
        }
      } catch (err) {
        status.textContent = `Invalid input: ${err.message}`;
        return;
      }
      const used = args.filter((x) => x.name in vars);
      const decl = used.map((x) => `$${x.name}: ${typeString(x.type)}`).join(", ");
      const call = used.map((x) => `${x.name}: $${x.name}`).join(", ");
      try {
        const data = await gql(`mutation${decl ? `(${decl})` : ""} { r: ${a.name}${call ? `(${call})` : ""} { summary logId } }`, vars);
        status.replaceChildren(el("strong", {}, "Done: "), data.r.summary, " ", el("a", { href: href("object", data.r.logId) }, "log entry"));
      } catch (err) {
        status.textContent = "";
        for (const e of err.errors || [{ message: err.message }]) {
          const ext = e.extensions || {};
          const problems = ext.problems && ext.problems.length ? ext.problems : [{ message: e.message, field: ext.field }];
          for (const pr of problems) {
            const name = (pr.field || "").split(".").pop().replace(/\[\d+\]$/, "");
            const box = form.querySelector(`[data-param="${name}"] .field-error`);
            if (box) {
              box.textContent = pr.message;
              form.elements[name].setAttribute("aria-invalid", "true");
            } else status.append(el("div", { class: "error" }, pr.message, ext.suggestion ? ` (${ext.suggestion})` : ""));
          }
        }
      }
    });
    return el("details", { class: "action" }, el("summary", {}, human(a.name), el("span", { class: "muted" }, ` ${a.description}`)), form);
  }

  // ---- overview -------------------------------------------------------------------
  const MONTH = (v) => (v ? String(v).slice(0, 7) : null);
  function monthRange(m) {
    const [y, mo] = m.split("-").map(Number);
    const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
    return { gte: `${m}-01T00:00:00+00:00`, lt: `${next}-01T00:00:00+00:00` };
  }
  function cond(f, v) {
    if (v === null || v === undefined) return { isNull: true };
    return f.month ? monthRange(v) : { eq: v };
  }

  async function overview() {
    const types = Object.values(S.types);
    // one query per 15 types: the server caps the top-level fields of an operation
    const chunks = [];
    for (let i = 0; i < types.length; i += 15) chunks.push(types.slice(i, i + 15).map((t, j) => `c${i + j}: ${t.listField}(first: 1) { totalCount }`));
    const counts = Promise.all(chunks.map((c) => gql(`{ ${c.join(" ")} }`))).then((parts) => Object.assign({}, ...parts));
    const charts = CONFIG.charts.map((c) => gql(
      "query($t: String!, $g: [String!]!, $w: JSON) { aggregate(objectType: $t, groupBy: $g, where: $w) { group count } }",
      { t: c.objectType, g: [c.bars.field, ...(c.stack ? [c.stack.field] : [])], w: c.where }));
    const data = await counts;
    const rows = types.map((t, i) => ({ label: t.name, total: data["c" + i].totalCount, segs: [{ key: t.apiName, count: data["c" + i].totalCount, fill: swatch(t.apiName).fill, href: href("list", t.apiName) }] }));
    const sections = [chartSection("counts", "Objects per type", barChart(rows.filter((r) => r.total > 0)))];
    const answers = await Promise.all(charts);
    CONFIG.charts.forEach((c, i) => sections.push(chartSection(c.key, c.title, aggregateChart(c, answers[i].aggregate))));
    show(el("h1", {}, "Overview"), el("div", { class: "charts" }, sections));
  }
  function chartSection(key, title, body) {
    return el("section", { class: "chart", "data-chart": key }, el("h2", {}, title), body);
  }
  function aggregateChart(c, groups) {
    const fills = Object.values(CONFIG.palette).map((s) => s.fill);
    const stackKeys = [];
    const bars = new Map();
    for (const g of groups) {
      const raw = g.group[c.bars.field];
      const bar = c.bars.month ? MONTH(raw) : raw;
      const stack = c.stack ? g.group[c.stack.field] : null;
      if (!stackKeys.includes(stack)) stackKeys.push(stack);
      if (!bars.has(bar)) bars.set(bar, new Map());
      const m = bars.get(bar);
      m.set(stack, (m.get(stack) || 0) + g.count);
    }
    if (!bars.size) return el("p", { class: "muted" }, "No objects.");
    let keys = [...bars.keys()];
    if (c.bars.month) keys.sort((x, y) => String(x).localeCompare(String(y)));
    const rows = keys.map((bar) => {
      const segs = [...bars.get(bar)].map(([stack, count]) => {
        const where = { ...(c.where || {}), [c.bars.field]: cond(c.bars, bar) };
        if (c.stack) where[c.stack.field] = cond(c.stack, stack);
        return { key: stack === null ? "none" : String(stack), count, fill: fills[stackKeys.indexOf(stack) % fills.length],
          href: `${href("list", c.apiName)}?where=${encodeURIComponent(JSON.stringify(where))}` };
      });
      return { label: bar === null ? "(none)" : String(bar), total: segs.reduce((s, x) => s + x.count, 0), segs };
    });
    const legend = c.stack ? el("ul", { class: "legend" }, stackKeys.map((k, i) =>
      el("li", {}, el("span", { class: "sw", style: `background:${fills[i % fills.length]}` }), k === null ? "(none)" : String(k)))) : null;
    return el("div", {}, barChart(rows), legend);
  }
  /** Horizontal stacked bars; every segment is a link to the filtered list. */
  function barChart(rows) {
    const max = Math.max(1, ...rows.map((r) => r.total));
    const W = 560, LABEL = 170, ROW = 24;
    const chart = svg("svg", { viewBox: `0 0 ${W} ${rows.length * ROW + 4}`, width: W, class: "bars", role: "group" });
    rows.forEach((r, i) => {
      const y = i * ROW + 2;
      chart.append(svg("text", { x: LABEL - 8, y: y + 15, "text-anchor": "end", class: "label" }, clip(r.label, 24)));
      let x = LABEL;
      for (const s of r.segs) {
        const w = Math.max(2, ((W - LABEL - 40) * s.count) / max);
        chart.append(svg("a", { href: s.href, "aria-label": `${r.label} ${s.key}: ${s.count}` },
          svg("rect", { x, y, width: w, height: ROW - 6, fill: s.fill, stroke: "#1a1a1a", "stroke-width": 0.5 }),
          svg("title", {}, `${r.label} · ${s.key}: ${s.count}`)));
        x += w;
      }
      chart.append(svg("text", { x: x + 6, y: y + 15, class: "value" }, String(r.total)));
    });
    return chart;
  }

  // ---- start ----------------------------------------------------------------------
  Object.assign(OC, { el, svg, href, human, swatch, typeName, typeBadge, objLink, show, fail, clip, isContext, namedType });
  const keyInput = document.getElementById("api-key");
  keyInput.value = localStorage.getItem(KEY_STORE) || "";
  document.getElementById("api-key-save").addEventListener("click", () => {
    if (keyInput.value.trim()) localStorage.setItem(KEY_STORE, keyInput.value.trim());
    else localStorage.removeItem(KEY_STORE);
    S.ready = loadSchema();
    route();
  });
  document.getElementById("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    navigate(`${BASE}/search?q=${encodeURIComponent(document.getElementById("search-text").value)}`);
  });
  OC.start = () => {
    S.ready = loadSchema();
    route();
  };
})();
