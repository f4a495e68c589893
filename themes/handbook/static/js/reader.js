/* handbook: reading aids, all progressive enhancement (the page works without them): copy
   buttons on code blocks, heading anchor links, a collapsible sidebar whose state is kept in
   localStorage, and a light/dark/system theme toggle. No dependencies. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  function store(key, value) {
    try { if (value === undefined) return localStorage.getItem(key); if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) { /* storage off */ }
    return null;
  }
  function el(tag, attrs, text) {
    var e = doc.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }

  /* Copy buttons: one per code block, announcing the result through a live region. */
  var status = el("p", { "class": "visually-hidden", role: "status" });
  doc.body.appendChild(status);
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (ok, fail) {
      var area = el("textarea", { readonly: "", "class": "visually-hidden" });
      area.value = text; doc.body.appendChild(area); area.select();
      var done = doc.execCommand && doc.execCommand("copy"); area.remove();
      if (done) ok(); else fail();
    });
  }
  function addCopyButtons(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll(".content pre"), function (pre) {
      if (pre.closest(".code-block") || pre.getAttribute("data-lang") === "mermaid") return;
      var wrap = el("div", { "class": "code-block" }), button = el("button", { type: "button", "class": "copy-button" }, "Copy");
      button.setAttribute("aria-label", "Copy code to clipboard");
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre); wrap.appendChild(button);
      button.addEventListener("click", function () {
        var code = pre.querySelector("code") || pre;
        copyText(code.innerText.replace(/\n$/, "")).then(function () { button.textContent = "Copied"; status.textContent = "Code copied"; },
          function () { button.textContent = "Copy failed"; status.textContent = "Could not copy the code"; });
        setTimeout(function () { button.textContent = "Copy"; }, 2000);
      });
    });
  }

  /* Sidebar: a fold button on every section. Sections on the way to this page come with their
     list, open; the others are links whose list is fetched from the section's own page (whose
     sidebar has it) the first time a reader opens one, so no page carries the whole tree. What
     a reader folded or opened is kept across pages. */
  var folds = {}, opened = {};
  try { folds = JSON.parse(store("handbook-nav") || "{}") || {}; } catch (e) { folds = {}; }
  try { opened = JSON.parse(store("handbook-nav-open") || "{}") || {}; } catch (e) { opened = {}; }
  var lists = 0;
  // The list of the section at `href`, as that section's own page has it.
  function fetchList(href, key) {
    return fetch(href).then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var link = Array.prototype.filter.call(page.querySelectorAll(".sidebar li.nav-section > a"), function (a) { return a.getAttribute("href") === key; })[0];
      var list = link && link.parentNode.querySelector(":scope > ul");
      if (!list) throw new Error("no list");
      return list;
    });
  }
  function addFolds(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll(".sidebar li.nav-section"), function (li) {
      var link = li.querySelector(":scope > a");
      if (!link || li.querySelector(":scope > .nav-fold")) return;
      var key = link.getAttribute("href"), list = li.querySelector(":scope > ul"), onPath = !!list, loaded = onPath;
      if (!list) { list = el("ul", {}); list.hidden = true; li.appendChild(list); }
      list.id = list.id || "nav-list-" + lists++;
      var button = el("button", { type: "button", "class": "nav-fold", "aria-controls": list.id });
      button.setAttribute("aria-label", "Show or hide " + link.textContent.trim());
      li.insertBefore(button, list);
      function show(open) {
        button.setAttribute("aria-expanded", open ? "true" : "false");
        list.hidden = !open;
        li.classList.toggle("collapsed", !open);
      }
      function remember(open) {
        if (onPath) { if (open) delete folds[key]; else folds[key] = 1; store("handbook-nav", JSON.stringify(folds)); }
        else { if (open) opened[key] = 1; else delete opened[key]; store("handbook-nav-open", JSON.stringify(opened)); }
      }
      function set(open, rememberIt) {
        if (rememberIt) remember(open);
        if (!open || loaded) { show(open); return; }
        loaded = true;
        button.setAttribute("aria-busy", "true");
        fetchList(link.href, key).then(function (fetched) {
          list.className = fetched.className;
          list.innerHTML = fetched.innerHTML; // the site's own sidebar markup
          addFolds(list);
          show(true);
        }, function () { loaded = false; show(false); }).then(function () { button.removeAttribute("aria-busy"); });
      }
      set(onPath ? !folds[key] : !!opened[key], false);
      button.addEventListener("click", function () { set(list.hidden, true); });
    });
  }

  /* Diagrams: a page with a ```mermaid fence loads the pinned Mermaid from the theme (never a
     CDN) and draws each fence as an SVG after it; the source stays in the page, hidden, and is
     what a reader without scripts sees. Drawn again in the other scheme when it changes.
     securityLevel "strict": a diagram from a merge request runs no script and no HTML. */
  var fences = [], mermaidState = "none";
  function darkScheme() {
    var chosen = root.getAttribute("data-theme");
    return chosen ? chosen === "dark" : !!(window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches);
  }
  function drawDiagrams() {
    var mermaid = window.mermaid;
    var dark = darkScheme();
    // The dark theme's edge labels are #ccc on #585858 (4.4:1); a darker label box reads at 6.6:1.
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default", themeVariables: dark ? { edgeLabelBackground: "#404040" } : {} });
    Array.prototype.forEach.call(fences, function (pre, n) {
      var figure = pre.nextElementSibling && pre.nextElementSibling.classList.contains("diagram") ? pre.nextElementSibling : null;
      if (!figure) {
        figure = el("div", { "class": "diagram", role: "img", "aria-label": "Diagram" });
        pre.parentNode.insertBefore(figure, pre.nextSibling);
      }
      mermaid.render("handbook-diagram-" + n, pre.textContent).then(function (out) {
        figure.innerHTML = out.svg;
        pre.hidden = true;
      }, function (error) {
        figure.remove();
        pre.hidden = false;
        pre.title = "This diagram could not be drawn: " + (error && error.message ? error.message : error);
      });
    });
  }
  function addDiagrams() {
    fences = doc.querySelectorAll('.content pre[data-lang="mermaid"]');
    if (mermaidState === "ready") drawDiagrams();
    if (!fences.length || mermaidState !== "none") return;
    mermaidState = "loading";
    var script = el("script", { src: (root.getAttribute("data-base-path") || "/") + "js/vendor/mermaid-11.17.2.min.js" });
    script.addEventListener("load", function () {
      mermaidState = "ready";
      drawDiagrams();
      doc.addEventListener("handbook-theme", drawDiagrams);
      if (window.matchMedia) matchMedia("(prefers-color-scheme: dark)").addEventListener("change", drawDiagrams);
    });
    doc.head.appendChild(script);
  }

  /* Wide tables: one that scrolls sideways gets the `scrolls` class (its edge shadow), a
     keyboard stop and a name that says so; `scrolled-end` moves the shadow to the other edge. */
  function markWideTables() {
    Array.prototype.forEach.call(doc.querySelectorAll(".content table"), function (table) {
      var wide = table.scrollWidth > table.clientWidth + 1;
      if (wide === table.classList.contains("scrolls")) return;
      table.classList.toggle("scrolls", wide);
      if (wide) {
        table.setAttribute("tabindex", "0");
        if (!table.hasAttribute("aria-label") && !table.querySelector("caption")) table.setAttribute("aria-label", "Table, scrolls sideways");
        if (!table.handbookScroll) {
          table.handbookScroll = true;
          table.addEventListener("scroll", function () {
            table.classList.toggle("scrolled-end", table.scrollLeft + table.clientWidth >= table.scrollWidth - 1);
          }, { passive: true });
        }
      } else {
        table.removeAttribute("tabindex");
        if (table.getAttribute("aria-label") === "Table, scrolls sideways") table.removeAttribute("aria-label");
        table.classList.remove("scrolled-end");
      }
    });
  }
  /* A code block that scrolls sideways takes keyboard focus, so the arrow keys can scroll it
     (axe: scrollable-region-focusable); one that fits stays out of the Tab order. */
  function markWideCode() {
    Array.prototype.forEach.call(doc.querySelectorAll(".content pre"), function (pre) {
      if (pre.scrollWidth > pre.clientWidth + 1) pre.setAttribute("tabindex", "0");
      else pre.removeAttribute("tabindex");
    });
  }
  var resizing = 0;
  window.addEventListener("resize", function () { clearTimeout(resizing); resizing = setTimeout(function () { markWideTables(); markWideCode(); }, 100); });

  addCopyButtons(doc);
  addFolds(doc);
  addDiagrams();
  markWideTables();
  markWideCode();
  // The contents box as the reader left it (its inline script folds it on a phone only when
  // the page loads, not when `serve` swaps the content).
  var tocOpen = doc.querySelector(".toc-fold") ? doc.querySelector(".toc-fold").open : null;
  doc.addEventListener("toggle", function (event) {
    if (event.target.classList && event.target.classList.contains("toc-fold")) tocOpen = event.target.open;
  }, true);
  // `handbook serve` put new content in place (detail: the elements it replaced).
  doc.addEventListener("handbook-content", function (event) {
    var toc = doc.querySelector(".toc-fold");
    if (toc && tocOpen !== null) toc.open = tocOpen;
    (event.detail || []).forEach(function (part) { addCopyButtons(part); addFolds(part); });
    addDiagrams();
    markWideTables();
    markWideCode();
  });

  /* Theme: system (no data-theme), light or dark; the head script applies it before paint. */
  var header = doc.querySelector(".site-header"), dark = doc.getElementById("syntax-dark"), light = doc.getElementById("syntax-light");
  if (header) {
    var names = { system: "System", light: "Light", dark: "Dark" }, order = ["system", "light", "dark"];
    var toggle = el("button", { type: "button", "class": "theme-toggle" });
    var current = function () { return root.getAttribute("data-theme") || "system"; };
    var show = function () {
      toggle.textContent = "Theme: " + names[current()];
      toggle.setAttribute("aria-label", "Colour theme: " + names[current()] + " (change)");
    };
    toggle.addEventListener("click", function () {
      var next = order[(order.indexOf(current()) + 1) % order.length];
      if (next === "system") { root.removeAttribute("data-theme"); store("handbook-theme", null); }
      else { root.setAttribute("data-theme", next); store("handbook-theme", next); }
      if (dark) dark.media = next === "system" ? "(prefers-color-scheme: dark)" : next === "dark" ? "all" : "not all";
      if (light) light.media = next === "system" ? "not all and (prefers-color-scheme: dark)" : next === "light" ? "all" : "not all";
      show();
      doc.dispatchEvent(new Event("handbook-theme"));
    });
    show();
    header.appendChild(toggle);
  }
})();
