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

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "handbook-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,24,.94);color:#f5f5f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      var title = document.createElement("p");
      title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#ff8080";
      title.textContent = "The last rebuild failed; this page is from the last good build. Fix the error below and save: this clears itself.";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Dismiss";
      close.style.cssText = "float:right;font:inherit";
      close.onclick = function () { overlay.style.display = "none"; };
      var pre = document.createElement("pre");
      pre.id = "handbook-error-text";
      pre.style.cssText = "white-space:pre-wrap;margin:0";
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

  function apply(state) {
    if (state.version !== boot.version) {
      reload(); // a newer good build exists; it carries any newer error itself
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
