// handbook serve: live reload and the build-error overlay. Injected into every page the dev
// server sends (never into `handbook build` output).
(function () {
  "use strict";
  var boot = window.__handbookLive || { version: "", error: null };
  var scrollKey = "handbook-live-scroll:" + location.pathname;
  var overlay = null;

  // Put the page back where it was before a live reload.
  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved !== null) {
      sessionStorage.removeItem(scrollKey);
      var pos = JSON.parse(saved);
      var restore = function () { window.scrollTo(pos.x, pos.y); };
      restore();
      window.addEventListener("load", restore);
    }
  } catch (e) { /* storage disabled: reload without restoring */ }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
    } catch (e) { /* ignore */ }
    location.reload();
  }

  // The overlay's look, scoped to its id so that no page style reaches it (the theme styles
  // `pre`, for one), in the reader's scheme: the OS one, or the theme toggle's `data-theme`.
  // Every pair is at least 4.5:1 (tests/serve_browser.rs measures the computed colours).
  var LIGHT = "background:#ffffff;color:#1f2328;border-color:#d0d7de",
    LIGHT_TITLE = "color:#a40e26", LIGHT_PRE = "background:#fff5f5;color:#5c0011;border-color:#cf222e",
    DARK = "background:#16171d;color:#f3f3f5;border-color:#6e7681",
    DARK_TITLE = "color:#ff9b94", DARK_PRE = "background:#22161a;color:#ffd7d4;border-color:#ff5f56";
  function rules(prefix, box, title, pre) {
    var o = prefix + "#handbook-error-overlay";
    return o + "{" + box + "}" + o + " .handbook-error-title{" + title + "}" + o + " pre{" + pre + "}" + o + " button{" + box + "}";
  }
  var CSS = "#handbook-error-overlay{position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left}" +
    "#handbook-error-overlay .handbook-error-title{margin:0 0 1rem;font-weight:bold}" +
    "#handbook-error-overlay pre{white-space:pre-wrap;margin:0;padding:1rem;border:1px solid;border-left-width:4px;font:inherit}" +
    "#handbook-error-overlay button{float:right;font:inherit;padding:.25rem .75rem;border:1px solid;cursor:pointer}" +
    rules("", LIGHT, LIGHT_TITLE, LIGHT_PRE) +
    "@media (prefers-color-scheme: dark){" + rules("html:not([data-theme=light]) ", DARK, DARK_TITLE, DARK_PRE) + "}" +
    rules("html[data-theme=dark] ", DARK, DARK_TITLE, DARK_PRE);

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "handbook-error-overlay";
      overlay.setAttribute("role", "alert");
      var style = document.createElement("style");
      style.textContent = CSS;
      var title = document.createElement("p");
      title.className = "handbook-error-title";
      title.textContent = "The last rebuild failed; this page is from the last good build. Fix the error below and save: this clears itself.";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Dismiss";
      close.onclick = function () { overlay.style.display = "none"; };
      var pre = document.createElement("pre");
      pre.id = "handbook-error-text";
      overlay.appendChild(style);
      overlay.appendChild(close);
      overlay.appendChild(title);
      overlay.appendChild(pre);
      (document.body || document.documentElement).appendChild(overlay);
    }
    overlay.style.display = "";
    overlay.querySelector("pre").textContent = text;
  }

  function clearError() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  // A content change: fetch the page again and put its new content in place (the scroll
  // position, focus and sidebar state stay); anything else, or any surprise, reloads whole.
  var swapping = false;
  // The two parts as the server sent them, before the theme's script added its buttons.
  var sent = {};
  ["main", "site-nav"].forEach(function (id) {
    var part = document.getElementById(id);
    if (part) sent[id] = part.innerHTML;
  });
  function swap(state) {
    if (swapping) return;
    swapping = true;
    fetch(location.pathname + location.search, { cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html");
      var ids = ["main", "site-nav"], changed = [];
      if (ids.some(function (id) { return !document.getElementById(id) || !next.getElementById(id); })) throw new Error("page layout changed");
      ids.forEach(function (id) {
        var fresh = next.getElementById(id).innerHTML;
        if (fresh !== sent[id]) {
          document.getElementById(id).innerHTML = sent[id] = fresh;
          changed.push(document.getElementById(id));
        }
      });
      document.title = next.title;
      // The fetched page's own build (it may be newer than `state`).
      var own = Array.prototype.map.call(next.scripts, function (script) {
        return /^window\.__handbookLive=(.*);$/.exec(script.textContent);
      }).filter(Boolean)[0];
      own = own ? JSON.parse(own[1]) : state;
      // A build that changed templates or assets landed between the event and the fetch: the
      // head and the header are old, so only a reload is right.
      if (own.layout !== boot.layout) { reload(); return; }
      boot = own;
      swapping = false;
      // The theme's script redoes its enhancements (copy buttons, folds, diagrams) on these.
      document.dispatchEvent(new CustomEvent("handbook-content", { detail: changed }));
      apply(lastState);
    }).catch(function () { reload(); });
  }

  var lastState = boot;
  function apply(state) {
    lastState = state;
    if (swapping) return; // applied again when the swap is done
    if (state.version !== boot.version) {
      // A newer good build: its content goes in place when only content changed since this
      // page's build, else the page reloads (it carries any newer error itself).
      if (state.layout === boot.layout && window.fetch && window.DOMParser) swap(state);
      else reload();
    } else if (state.error) {
      showError(state.error);
    } else {
      clearError();
    }
  }

  if (boot.error) {
    if (document.body) showError(boot.error);
    else document.addEventListener("DOMContentLoaded", function () { showError(boot.error); });
  }
  if (window.EventSource) {
    var source = new EventSource("/__handbook/events");
    source.addEventListener("state", function (e) { apply(JSON.parse(e.data)); });
  }
})();
