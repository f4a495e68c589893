/* handbook: client-side full-text search over search-index.json (titles, sections, headings,
   descriptions and page bodies), ranked, with highlighted excerpts; and the mobile menu button.
   No dependencies. */
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle"), nav = document.getElementById("site-nav");
  if (toggle && nav) toggle.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });

  var input = document.getElementById("search-input"), list = document.getElementById("search-results");
  if (!input || !list) return;
  var base = document.documentElement.getAttribute("data-base-path") || "/";
  var index = null, loading = null, active = -1;

  function load() {
    if (!loading) loading = fetch(base + "search-index.json")
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { index = Array.isArray(data) ? data : []; run(); })
      .catch(function () { loading = null; });
    return loading;
  }
  function lc(s) { return (s || "").toLowerCase(); }
  function hide() { list.hidden = true; list.textContent = ""; active = -1; }
  // Lower-cased copies of each entry's fields, made once.
  function fields(item) {
    if (!item._f) item._f = { title: lc(item.title), heads: (item.headings || []).map(lc), desc: lc(item.description), body: lc(item.body) };
    return item._f;
  }
  function count(text, term) {
    var n = 0, at = text.indexOf(term);
    while (at >= 0 && n < 5) { n++; at = text.indexOf(term, at + term.length); }
    return n;
  }
  // Every term must occur somewhere; a term weighs most in the title, then in a heading, the
  // description and the body (up to five times there). The whole query in the title wins.
  function score(item, q, terms) {
    var f = fields(item), total = 0, heading = null;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i], s = 0;
      if (f.title.indexOf(t) >= 0) s += 40;
      for (var h = 0; h < f.heads.length; h++) if (f.heads[h].indexOf(t) >= 0) { s += 15; if (heading === null) heading = item.headings[h]; break; }
      if (f.desc.indexOf(t) >= 0) s += 10;
      s += 2 * count(f.body, t);
      if (!s) return null;
      total += s;
    }
    if (f.title.indexOf(q) === 0) total += 100; else if (f.title.indexOf(q) >= 0) total += 50;
    return { score: total, heading: heading };
  }
  // About 160 characters of the body around the first match, cut at spaces.
  function excerpt(item, terms) {
    var body = item.body || "", low = fields(item).body, at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = low.indexOf(terms[i]);
    if (at < 0) return item.description || "";
    var start = Math.max(0, at - 60), end = Math.min(body.length, at + 100);
    if (start > 0) { var sp = body.indexOf(" ", start); if (sp >= 0 && sp < at) start = sp + 1; }
    if (end < body.length) { var ep = body.lastIndexOf(" ", end); if (ep > at) end = ep; }
    return (start > 0 ? "… " : "") + body.slice(start, end) + (end < body.length ? " …" : "");
  }
  // `text` into `parent`, every occurrence of a term in a <mark> (text nodes only: no HTML).
  function highlight(parent, text, terms) {
    var low = lc(text), at = 0;
    while (at < text.length) {
      var next = -1, len = 0;
      terms.forEach(function (t) { var i = low.indexOf(t, at); if (i >= 0 && (next < 0 || i < next || (i === next && t.length > len))) { next = i; len = t.length; } });
      if (next < 0) { parent.appendChild(document.createTextNode(text.slice(at))); break; }
      if (next > at) parent.appendChild(document.createTextNode(text.slice(at, next)));
      var m = document.createElement("mark"); m.textContent = text.slice(next, next + len); parent.appendChild(m);
      at = next + len;
    }
  }
  function run() {
    var q = lc(input.value).trim().replace(/\s+/g, " ");
    if (!q || !index) { hide(); return; }
    var terms = q.split(" "), hits = [];
    index.forEach(function (item, n) { var s = score(item, q, terms); if (s) hits.push({ item: item, s: s, n: n }); });
    hits.sort(function (a, b) { return b.s.score - a.s.score || a.n - b.n; });
    list.textContent = ""; active = -1;
    hits.slice(0, 10).forEach(function (h) {
      var li = document.createElement("li"), a = document.createElement("a"), t = document.createElement("span");
      a.href = h.item.url; t.className = "result-title"; highlight(t, h.item.title, terms); a.appendChild(t);
      if (h.item.section) { var sec = document.createElement("span"); sec.className = "result-section"; sec.textContent = h.item.section; a.appendChild(sec); }
      var extra = excerpt(h.item, terms) || (h.s.heading ? "§ " + h.s.heading : "");
      if (extra) { var d = document.createElement("span"); d.className = "result-desc"; highlight(d, extra, terms); a.appendChild(d); }
      li.appendChild(a); list.appendChild(li);
    });
    if (!hits.length) { var li = document.createElement("li"); li.className = "no-results"; li.textContent = "No results"; list.appendChild(li); }
    list.hidden = false;
  }
  function move(delta) {
    var links = list.querySelectorAll("a");
    if (!links.length) return;
    if (active >= 0 && links[active]) links[active].classList.remove("active");
    active = (active + delta + links.length) % links.length;
    links[active].classList.add("active");
    links[active].scrollIntoView({ block: "nearest" });
  }

  function update() { if (index) run(); else load(); }
  input.addEventListener("focus", update);
  input.addEventListener("input", update);
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; hide(); }
    else if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Enter") {
      var links = list.querySelectorAll("a"), target = links[active] || links[0];
      if (target) { e.preventDefault(); window.location.href = target.href; }
    }
  });
  list.addEventListener("keydown", function (e) { if (e.key === "Escape") { input.value = ""; hide(); input.focus(); } });
  document.addEventListener("click", function (e) { if (!e.target.closest || !e.target.closest(".search")) hide(); });
  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    if (e.key === "/" && tag !== "input" && tag !== "textarea" && !e.target.isContentEditable) { e.preventDefault(); input.focus(); }
  });
})();
