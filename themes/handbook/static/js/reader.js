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
  Array.prototype.forEach.call(doc.querySelectorAll(".content pre"), function (pre) {
    if (pre.closest(".code-block")) return;
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

  /* Sidebar: a toggle button on every section whose list is shown; the state of each is kept. */
  var folds = {};
  try { folds = JSON.parse(store("handbook-nav") || "{}") || {}; } catch (e) { folds = {}; }
  Array.prototype.forEach.call(doc.querySelectorAll(".sidebar li.nav-section"), function (li, n) {
    var link = li.querySelector(":scope > a"), list = li.querySelector(":scope > ul");
    if (!link || !list) return;
    var key = link.getAttribute("href");
    list.id = list.id || "nav-list-" + n;
    var button = el("button", { type: "button", "class": "nav-fold", "aria-controls": list.id });
    button.setAttribute("aria-label", "Show or hide " + link.textContent.trim());
    li.insertBefore(button, list);
    function set(open, remember) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      list.hidden = !open;
      li.classList.toggle("collapsed", !open);
      if (remember) { if (open) delete folds[key]; else folds[key] = 1; store("handbook-nav", JSON.stringify(folds)); }
    }
    set(!folds[key], false);
    button.addEventListener("click", function () { set(list.hidden, true); });
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
    });
    show();
    header.appendChild(toggle);
  }
})();
