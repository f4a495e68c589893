/* handbook: client-side full-text search over the chunked index in search/ (titles, sections,
   headings, descriptions and page bodies), ranked, with highlighted excerpts; and the mobile
   menu button. No dependencies. */
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
  var meta = null, rows = null, loading = null, checked = 0, active = -1, files = {}, latest = 0;

  /* The index is in pieces (see src/output/search_index.rs): search/meta.json, a term file per
     two first characters of a word, and page chunks. A query fetches the term files of its
     words and the chunks of the results it shows, each once per index version. */
  function json(path, cache) {
    return fetch(base + path, { cache: cache || "default" }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }
  // Forgets every piece: a new deploy (or a `serve` edit) may have renumbered the pages.
  function reset() { meta = null; rows = null; loading = null; files = {}; }
  // On focus: meta (asked of the server again after a minute, so a tab open across a deploy
  // never mixes two builds' pieces), then every page's title, URL and section of that version,
  // so that results show as soon as their words' term files arrive.
  function load() {
    if (meta && Date.now() - checked > 60000) {
      checked = Date.now();
      json("search/meta.json", "no-cache").then(function (now) { if (meta && now.version !== meta.version) { reset(); load(); } }, function () {});
    }
    if (!loading) loading = json("search/meta.json", "no-cache")
      .then(function (now) { checked = Date.now(); return json("search/pages.json?v=" + now.version).then(function (list) { meta = now; rows = list; run(); }); })
      .catch(function () { loading = null; });
    return loading;
  }
  // `serve` put new content in place: the index may have changed with it.
  document.addEventListener("handbook-content", reset);
  function get(path) {
    if (!files[path]) files[path] = fetch(base + "search/" + path + ".json?v=" + meta.version).then(function (r) {
      if (r.status === 404) return null; // no word starts with these characters
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).catch(function (e) { delete files[path]; throw e; });
    return files[path];
  }
  function lc(s) { return (s || "").toLowerCase(); }
  function hide() { list.hidden = true; list.textContent = ""; active = -1; }
  // Words as the index splits them: lower-cased runs of letters and digits.
  // (`\p{Alphabetic}`, not `\p{L}`: Rust's `is_alphanumeric` counts combining vowel signs.)
  function words(text) { return lc(text).split(/[^\p{Alphabetic}\p{N}]+/u).filter(function (w) { return w && Array.from(w).length <= 40; }); }
  function shardOf(term) {
    var bytes = new TextEncoder().encode(Array.from(term).slice(0, 2).join("")), hex = "";
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return hex;
  }
  // Page → weight of `term` in a term file: the word itself, or (from two characters on) the
  // best word it begins, at 70%.
  function postings(file, term) {
    var pages = {};
    if (!file) return pages;
    var prefix = Array.from(term).length >= 2;
    Object.keys(file).forEach(function (word) {
      var exact = word === term;
      if (!exact && !(prefix && word.lastIndexOf(term, 0) === 0)) return;
      var list = file[word], page = 0;
      for (var i = 0; i < list.length; i += 2) {
        page += list[i];
        var weight = exact ? list[i + 1] : list[i + 1] * 0.7;
        if (!(pages[page] >= weight)) pages[page] = weight;
      }
    });
    return pages;
  }
  function entry(id) {
    return get("p/" + Math.floor(id / meta.chunk)).then(function (chunk) { return chunk[id % meta.chunk]; });
  }
  // About 160 characters of the body around the first match, cut at spaces.
  function excerpt(item, terms) {
    var body = item.body || "", low = lc(body), at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = low.indexOf(terms[i]);
    if (at < 0) return item.description || "";
    var start = Math.max(0, at - 60), end = Math.min(body.length, at + 100);
    if (start > 0) { var sp = body.indexOf(" ", start); if (sp >= 0 && sp < at) start = sp + 1; }
    if (end < body.length) { var ep = body.lastIndexOf(" ", end); if (ep > at) end = ep; }
    return (start > 0 ? "… " : "") + body.slice(start, end) + (end < body.length ? " …" : "");
  }
  function matchingHeading(item, terms) {
    return (item.headings || []).filter(function (h) { return terms.some(function (t) { return lc(h).indexOf(t) >= 0; }); })[0];
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
  // The result list from the pages' rows; each excerpt goes in when its page's chunk arrives.
  function show(results, terms, query) {
    list.textContent = ""; active = -1;
    results.forEach(function (r) {
      var li = document.createElement("li"), a = document.createElement("a"), t = document.createElement("span");
      a.href = r.row[1]; t.className = "result-title"; highlight(t, r.row[0], terms); a.appendChild(t);
      if (r.row[2]) { var sec = document.createElement("span"); sec.className = "result-section"; sec.textContent = r.row[2]; a.appendChild(sec); }
      li.appendChild(a); list.appendChild(li);
      entry(r.id).then(function (item) {
        if (query !== latest) return;
        var heading = matchingHeading(item, terms), extra = excerpt(item, terms) || (heading ? "§ " + heading : "");
        if (extra) { var d = document.createElement("span"); d.className = "result-desc"; highlight(d, extra, terms); a.appendChild(d); }
      }, function () { /* no excerpt */ });
    });
    if (!results.length) { var li = document.createElement("li"); li.className = "no-results"; li.textContent = "No results"; list.appendChild(li); }
    list.hidden = false;
  }
  // Every word must match; a page's score is the sum of its words' weights (a word in the
  // title weighs most), and the whole query in its title adds more. The best ten show; only
  // their chunks are fetched, for the excerpts.
  function run() {
    var q = words(input.value).join(" "), terms = q ? q.split(" ") : [], query = ++latest;
    if (!terms.length || !meta || !rows) { hide(); return; }
    Promise.all(terms.map(function (t) { return get("t/" + shardOf(t)).then(function (file) { return postings(file, t); }); }))
      .then(function (maps) {
        var ids = Object.keys(maps[0]).filter(function (id) { return maps.every(function (m) { return id in m; }); });
        if (query !== latest) return; // a newer query is under way
        var ranked = ids.map(function (id) {
          var score = maps.reduce(function (s, m) { return s + m[id]; }, 0), row = rows[id], title = lc(row[0]);
          if (title.indexOf(q) === 0) score += 100; else if (title.indexOf(q) >= 0) score += 50;
          return { id: +id, score: score, row: row };
        });
        ranked.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
        show(ranked.slice(0, 10), terms, query);
      })
      .catch(function () { if (query === latest) hide(); });
  }
  function move(delta) {
    var links = list.querySelectorAll("a");
    if (!links.length) return;
    if (active >= 0 && links[active]) links[active].classList.remove("active");
    active = (active + delta + links.length) % links.length;
    links[active].classList.add("active");
    links[active].scrollIntoView({ block: "nearest" });
  }

  function update() { load(); if (meta) run(); }
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
