// rasid UI: hash-routed views over the REST API. Article text is untrusted: it is only ever
// inserted as text nodes (el(..., text) / textContent), never as HTML.
"use strict";

const view = document.getElementById("view");

function el(tag, attrs, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") n.className = v;
    else if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return n;
}

async function api(path) {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
  return body;
}

function link(href, text, cls) { return el("a", { href, class: cls || "" }, text); }
const entityHref = (kb) => "#/entity/" + encodeURIComponent(kb);
const articleHref = (id) => "#/article/" + encodeURIComponent(id);

function show(...nodes) { view.replaceChildren(...nodes); }
function fail(e) { show(el("div", { class: "card error" }, "خطأ · Error: " + e.message)); }

function marked(sentence, marks) {
  const out = el("span");
  let pos = 0;
  for (const [s, e] of marks) {
    out.append(sentence.slice(pos, s), el("mark", {}, sentence.slice(s, e)));
    pos = e;
  }
  out.append(sentence.slice(pos));
  return out;
}

async function searchView(q) {
  const [stats, ents] = await Promise.all([api("/api/stats"), q ? api("/api/entities?limit=8&q=" + encodeURIComponent(q)) : null]);
  const head = el("div", { class: "card" },
    el("b", {}, `${stats.articles} مقالة · articles, ${stats.entities} كيان · entities, ${stats.quotes} تصريح · quotes, ${stats.events} حدث · events`));
  if (!q) { show(head, el("p", {}, "اكتب كلمة للبحث · type a word to search (e.g. السلاح، جيش الإسلام)")); return; }
  const hits = await api("/api/search?limit=50&q=" + encodeURIComponent(q));
  const list = el("div", { id: "results" });
  if (ents && ents.items.length) {
    list.append(el("div", { class: "card" }, el("b", {}, "كيانات · Entities: "),
      ...ents.items.map((e) => el("span", {}, link(entityHref(e.kb_id), e.name, "entity-link"), " ", el("span", { class: "en" }, e.name_en || ""), " · "))));
  }
  for (const h of hits.items) {
    list.append(el("div", { class: "card hit" },
      el("div", { class: "meta" }, link(articleHref(h.id), h.title || h.id), " · ", h.outlet || "?", " · ", h.published || ""),
      el("div", {}, marked(h.sentence, h.marks))));
  }
  if (!hits.items.length) list.append(el("p", {}, "لا نتائج · no results"));
  show(head, list);
}

async function entityView(kb) {
  const p = await api("/api/entities/" + encodeURIComponent(kb));
  const roles = el("table", {}, el("tr", {}, el("th", {}, "الدور · role"), el("th", {}, "الجهة · with"), el("th", {}, "التاريخ · date"), el("th", {}, "الدليل · evidence")),
    ...p.roles.map((r) => el("tr", {}, el("td", {}, r.role),
      el("td", {}, link(entityHref(r.person_kb === p.kb_id ? r.org_kb : r.person_kb), r.person_kb === p.kb_id ? r.org : r.person)),
      el("td", {}, r.published || "?"), el("td", {}, link(articleHref(r.doc_id), r.evidence)))));
  const said = el("div", {}, ...p.said.map((q) => el("div", { class: "card quote" },
    el("span", { class: "badge " + q.act }, q.act), el("span", { class: "badge" }, q.kind),
    el("span", { class: "meta" }, (q.published || "") + " · " + (q.outlet || "") + (q.channel ? " · " + q.channel : "")),
    el("div", {}, q.text), link(articleHref(q.doc_id), "← المقال · article"))));
  const about = el("div", {}, ...p.said_about.map((q) => el("div", { class: "card" },
    el("span", { class: "badge " + q.act }, q.act), q.speaker ? link(entityHref(q.speaker_kb), q.speaker) : "?", ": ", q.text)));
  const evs = el("ul", {}, ...p.events.map((e) => el("li", {}, `${e.type} · ${e.date || "?"} · ${e.location || ""} `, link(articleHref(e.doc_id), "←"))));
  show(el("div", { class: "card" },
      el("h2", {}, p.name, " ", el("span", { class: "en" }, p.name_en || "")),
      el("div", { class: "meta" }, `${p.type}${p.subtype ? " / " + p.subtype : ""}${p.rank ? " · رتبة " + p.rank : ""} · ${p.kb_id}`),
      el("div", {}, "أسماء · aliases: ", p.aliases.join("، "))),
    el("h3", {}, "الأدوار · Roles over time"), roles,
    el("h3", {}, "ما قاله · What they said"), said.childNodes.length ? said : el("p", {}, "—"),
    el("h3", {}, "ما قيل عنه · Said about them"), about.childNodes.length ? about : el("p", {}, "—"),
    el("h3", {}, "الأحداث · Events"), evs,
    el("h3", {}, "شبكة · Co-occurring actors"), network(p));
}

function network(p) {
  const W = 640, H = 320, cx = W / 2, cy = H / 2, R = 120;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`); svg.setAttribute("width", "100%"); svg.setAttribute("id", "network");
  const mk = (t, a) => { const n = document.createElementNS("http://www.w3.org/2000/svg", t); for (const k in a) n.setAttribute(k, a[k]); return n; };
  const nodes = p.cooccurring.slice(0, 14);
  nodes.forEach((n, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, nodes.length), x = cx + R * Math.cos(a) * 2, y = cy + R * Math.sin(a);
    svg.append(mk("line", { x1: cx, y1: cy, x2: x, y2: y, stroke: "#aaa", "stroke-width": 1 + n.articles }));
    const g = mk("a", { href: entityHref(n.kb_id) });
    g.append(mk("circle", { cx: x, cy: y, r: 6, fill: n.type === "PER" ? "#3b73c4" : "#3f8f35" }));
    const t = mk("text", { x, y: y - 9, "text-anchor": "middle" }); t.textContent = n.name; g.append(t);
    svg.append(g);
  });
  svg.append(mk("circle", { cx, cy, r: 9, fill: "#b00" }));
  const t = mk("text", { x: cx, y: cy - 12, "text-anchor": "middle" }); t.textContent = p.name; svg.append(t);
  return svg;
}

async function articleView(id) {
  const rec = await api("/api/articles/" + encodeURIComponent(id));
  const ents = Object.fromEntries(rec.entities.map((e) => [e.id, e]));
  const marks = [];
  for (const e of rec.entities) for (const [s, t] of e.mentions) marks.push({ s, t, kind: "ent", e });
  const text = rec.text;
  const quoteAt = new Array(text.length).fill(null);
  for (const q of rec.quotes) for (let i = q.span[0]; i < q.span[1]; i++) quoteAt[i] = q;
  marks.sort((a, b) => a.s - b.s);
  const body = el("div", { class: "article-text", id: "article-text" });
  let pos = 0;
  const plain = (a, b) => {
    let i = a;
    while (i < b) {
      let j = i; const q = quoteAt[i];
      while (j < b && quoteAt[j] === q) j++;
      const span = el("span", q ? { class: "hl-quote", title: "قالها · said by " + (q.speaker_text || "?") + " · " + q.act } : {}, text.slice(i, j));
      body.append(span); i = j;
    }
  };
  for (const m of marks) {
    if (m.s < pos) continue;
    plain(pos, m.s);
    body.append(el("span", { class: "hl-" + m.e.type, title: m.e.name + (m.e.name_en ? " · " + m.e.name_en : ""),
      "data-kb": m.e.kb_id, onclick: () => { location.hash = entityHref(m.e.kb_id); } }, text.slice(m.s, m.t)));
    pos = m.t;
  }
  plain(pos, text.length);
  const qs = el("div", {}, ...rec.quotes.map((q) => el("div", { class: "card" },
    el("span", { class: "badge " + q.act }, q.act), el("span", { class: "badge" }, q.kind),
    q.speaker ? link(entityHref(ents[q.speaker].kb_id), q.speaker_text) : "?", q.channel ? " · " + q.channel : "", ": ", q.text)));
  const evs = el("ul", {}, ...rec.events.map((e) => el("li", {}, `${e.type} · ${e.date || "?"} · ${e.location ? ents[e.location].name : ""}${e.count ? " · " + e.count : ""} · «${e.trigger}»`)));
  show(el("div", { class: "card" }, el("h2", {}, rec.source.title || rec.id),
      el("div", { class: "meta" }, (rec.source.outlet || "?") + " · " + (rec.source.published || "") + " · " + rec.id)),
    el("div", { class: "card" }, body), el("h3", {}, "التصريحات · Quotes"), qs, el("h3", {}, "الأحداث · Events"), evs);
}

async function entitiesView() {
  const r = await api("/api/entities?limit=200");
  show(el("table", {}, el("tr", {}, el("th", {}, "الاسم"), el("th", {}, "Name"), el("th", {}, "type"), el("th", {}, "articles")),
    ...r.items.map((e) => el("tr", {}, el("td", {}, link(entityHref(e.kb_id), e.name)), el("td", { class: "en" }, e.name_en || ""),
      el("td", {}, e.subtype || e.type), el("td", {}, e.articles)))));
}

async function quotesView(params) {
  const act = params.get("act") || "";
  const r = await api("/api/quotes?limit=200" + (act ? "&act=" + encodeURIComponent(act) : ""));
  const sel = el("select", { onchange: (ev) => { location.hash = "#/quotes?act=" + ev.target.value; } },
    ...["", "CLAIM", "DENIAL", "ACCUSATION", "APPEAL", "THREAT", "ANSWER"].map((a) => { const o = el("option", { value: a }, a || "كل · all"); if (a === act) o.selected = true; return o; }));
  show(el("div", { class: "card" }, "نوع التصريح · act: ", sel, ` (${r.total})`),
    ...r.items.map((q) => el("div", { class: "card" }, el("span", { class: "badge " + q.act }, q.act),
      q.speaker_kb ? link(entityHref(q.speaker_kb), q.speaker) : "?", el("span", { class: "meta" }, " · " + (q.outlet || "") + " · " + (q.published || "")),
      el("div", {}, q.text), link(articleHref(q.doc_id), "← المقال"))));
}

// Approximate outline of Syria (lon, lat), drawn without any tile server.
const SYRIA = [[35.73, 32.72], [36.84, 32.31], [38.79, 33.38], [41.0, 34.42], [41.22, 34.78], [41.38, 35.63], [41.29, 36.36], [42.36, 37.11], [41.21, 37.07], [40.0, 36.82], [38.7, 36.71], [37.07, 36.62], [36.69, 36.83], [36.6, 36.2], [36.16, 35.82], [35.87, 35.92], [35.9, 35.41], [36.0, 34.65], [36.45, 34.59], [36.6, 34.2], [35.82, 33.28], [35.63, 33.2]];

async function eventsView() {
  const r = await api("/api/events?limit=500");
  const W = 600, H = 440, lon0 = 35.4, lon1 = 42.6, lat0 = 32.2, lat1 = 37.5;
  const px = (lon) => ((lon - lon0) / (lon1 - lon0)) * W, py = (lat) => H - ((lat - lat0) / (lat1 - lat0)) * H;
  const mk = (t, a) => { const n = document.createElementNS("http://www.w3.org/2000/svg", t); for (const k in a) n.setAttribute(k, a[k]); return n; };
  const map = mk("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", id: "map" });
  map.append(mk("polygon", { points: SYRIA.map(([x, y]) => `${px(x)},${py(y)}`).join(" "), fill: "#eef3e8", stroke: "#789" }));
  for (const e of r.items) {
    if (e.lat == null) continue;
    const c = mk("circle", { cx: px(e.lon), cy: py(e.lat), r: 5, fill: "#b00", "fill-opacity": 0.6 });
    const t = mk("title", {}); t.textContent = `${e.type} · ${e.location} · ${e.date || "?"}`; c.append(t);
    const a = mk("a", { href: articleHref(e.doc_id) }); a.append(c); map.append(a);
  }
  // timeline: events per month as bars
  const byMonth = {};
  for (const e of r.items) if (e.date) { const m = e.date.slice(0, 7); byMonth[m] = (byMonth[m] || 0) + 1; }
  const months = Object.keys(byMonth).sort();
  const TW = 600, TH = 160, bw = months.length ? TW / months.length : TW;
  const chart = mk("svg", { viewBox: `0 0 ${TW} ${TH + 20}`, width: "100%", id: "timeline" });
  const max = Math.max(1, ...Object.values(byMonth));
  months.forEach((m, i) => {
    const h = (byMonth[m] / max) * TH;
    chart.append(mk("rect", { x: i * bw + 2, y: TH - h, width: Math.max(2, bw - 4), height: h, fill: "#16324f" }));
    const t = mk("text", { x: i * bw + bw / 2, y: TH + 14, "text-anchor": "middle" }); t.textContent = m; chart.append(t);
  });
  const rows = r.items.map((e) => el("tr", {}, el("td", {}, e.date || "?"), el("td", {}, e.type),
    el("td", {}, e.location_kb ? link(entityHref(e.location_kb), e.location) : ""), el("td", {}, e.actors.map((a) => a.name).join("، ")),
    el("td", {}, e.count == null ? "" : e.count), el("td", {}, link(articleHref(e.doc_id), e.evidence.slice(0, 120) + "…"))));
  show(el("div", { class: "grid" }, el("div", { class: "card" }, el("h3", {}, "خريطة · Map"), map),
      el("div", { class: "card" }, el("h3", {}, "الخط الزمني · Timeline (events per month)"), chart)),
    el("table", {}, el("tr", {}, ...["date", "type", "place", "actors", "count", "evidence"].map((h) => el("th", {}, h))), ...rows));
}

async function route() {
  const h = location.hash || "#/";
  const [path, qs] = h.slice(1).split("?");
  const params = new URLSearchParams(qs || "");
  try {
    if (path.startsWith("/entity/")) await entityView(decodeURIComponent(path.slice(8)));
    else if (path.startsWith("/article/")) await articleView(decodeURIComponent(path.slice(9)));
    else if (path === "/entities") await entitiesView();
    else if (path === "/quotes") await quotesView(params);
    else if (path === "/events") await eventsView();
    else await searchView(params.get("q") || "");
  } catch (e) { fail(e); }
}

document.getElementById("search-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  location.hash = "#/?q=" + encodeURIComponent(document.getElementById("q").value);
});
window.addEventListener("hashchange", route);
route();
