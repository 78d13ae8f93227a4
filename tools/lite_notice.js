// JupyterLite says why Python does not start (inlined into the site's pages by tools/build_lite.py).
//
// The Pyodide kernel downloads Python from a CDN the first time a notebook opens. When that host is
// blocked (a school firewall, a projector laptop offline), JupyterLite itself shows nothing: the
// kernel stays "Unknown" and cells sit at [*]. This script asks the same CDN for the same file
// the kernel loads; if the answer has not come within the time below, or the request fails, it puts
// a message at the top of the page that names the cause and the other routes. If the answer comes
// later, the message goes away again.
(function () {
  "use strict";
  var PYODIDE_URL = "__PYODIDE_URL__";        // the exact file the kernel loads (jupyter-lite.json)
  var PYODIDE_VERSION = "__PYODIDE_VERSION__";
  var WAIT_MS = __WAIT_MS__;                   // how long a slow network gets before the message
  var host = new URL(PYODIDE_URL).host;
  var loaded = false;
  var notice = null;

  function show(reason) {
    if (loaded || notice) return;
    notice = document.createElement("div");
    notice.id = "lite-pyodide-notice";
    notice.setAttribute("role", "alert");
    notice.style.cssText = [
      "position:fixed", "top:0", "left:0", "right:0", "z-index:100000", "padding:12px 48px 12px 16px",
      "background:#fff4ce", "color:#1f1f1f", "border-bottom:3px solid #8a5300",
      "font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif", "box-shadow:0 2px 6px rgba(0,0,0,.25)",
    ].join(";");
    var title = document.createElement("strong");
    title.textContent = "Python could not be downloaded, so the notebooks cannot run here. ";
    var body = document.createElement("span");
    body.textContent =
      "This site runs Python in your browser with Pyodide " + PYODIDE_VERSION + ", which the browser " +
      "must download from " + host + " (" + reason + "). This site needs that host: ask for it to be " +
      "allowed, or try another network. The teacher can use the Binder link or the laptops route " +
      "(make lab) instead; the README's \u201cTeach a class\u201d lists them.";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Dismiss this message");
    close.style.cssText = "position:absolute;top:8px;right:12px;font-size:20px;line-height:1;" +
      "background:none;border:1px solid #8a5300;border-radius:4px;color:#1f1f1f;cursor:pointer;padding:2px 8px";
    close.addEventListener("click", function () { notice.remove(); });
    notice.appendChild(title);
    notice.appendChild(body);
    notice.appendChild(close);
    (document.body || document.documentElement).appendChild(notice);
  }

  var timer = setTimeout(function () {
    show("no answer within " + Math.round(WAIT_MS / 1000) + " seconds");
  }, WAIT_MS);

  // no-cors: an opaque answer is enough to know the host is reachable; a blocked host rejects.
  // After a refusal, ask again every 10 s: the message goes when the network comes back.
  function probe() {
    fetch(PYODIDE_URL, { method: "HEAD", mode: "no-cors", cache: "no-store" }).then(
      function () {
        loaded = true;
        clearTimeout(timer);
        if (notice) notice.remove();
      },
      function () {
        clearTimeout(timer);
        show("the download was refused or the network is offline");
        setTimeout(probe, 10000);
      }
    );
  }
  probe();
})();
