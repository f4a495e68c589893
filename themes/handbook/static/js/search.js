/* handbook: client-side search over search-index.json and the mobile menu button. No dependencies. */
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
  function score(item, q, terms) {
    var title = lc(item.title), heads = (item.headings || []).map(lc), desc = lc(item.description);
    var all = title + "\n" + heads.join("\n") + "\n" + desc;
    if (!terms.every(function (t) { return all.indexOf(t) >= 0; })) return null;
    if (title.indexOf(q) === 0) return { rank: 0 };
    if (title.indexOf(q) >= 0 || terms.every(function (t) { return title.indexOf(t) >= 0; })) return { rank: 1 };
    for (var i = 0; i < heads.length; i++) if (heads[i].indexOf(q) >= 0) return { rank: 2, heading: item.headings[i] };
    return { rank: desc.indexOf(q) >= 0 ? 3 : 4 };
  }
  function run() {
    var q = lc(input.value).trim();
    if (!q || !index) { hide(); return; }
    var terms = q.split(/\s+/), hits = [];
    index.forEach(function (item, n) { var s = score(item, q, terms); if (s) hits.push({ item: item, s: s, n: n }); });
    hits.sort(function (a, b) { return a.s.rank - b.s.rank || a.n - b.n; });
    list.textContent = ""; active = -1;
    hits.slice(0, 10).forEach(function (h) {
      var li = document.createElement("li"), a = document.createElement("a"), t = document.createElement("span");
      a.href = h.item.url; t.className = "result-title"; t.textContent = h.item.title; a.appendChild(t);
      var extra = h.s.heading ? "§ " + h.s.heading : h.item.description;
      if (extra) { var d = document.createElement("span"); d.className = "result-desc"; d.textContent = extra; a.appendChild(d); }
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
