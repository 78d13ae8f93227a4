/* Sliders that redraw with no kernel (tools/slides.py, teaching/frames.py).
 * Each interactive plot's cell holds a <script class="teaching-frames"> with its pictures drawn
 * in advance: for every control (each end of a range slider) the values it was drawn at, and for
 * each value an image [base64 PNG, description]. When a control's value changes in the page
 * (keyboard or drag: the readout changes), the picture of the nearest drawn value replaces the
 * picture (the Image widget's <img class="widget-image">) and its alt, and its description the
 * hidden one beside it (.teaching-description), from which the widget's own script
 * (teaching.rendering.WATCH_JS) announces it in the widget's polite live region. Each control's pictures are drawn with the
 * other controls at their start values. */
(function () {
  "use strict";
  function number(text) {
    return parseFloat(String(text).replace(/\u2212/g, "-"));
  }
  function controlOf(cell, label) {
    var found = null;
    cell.querySelectorAll(".widget-inline-hbox, .widget-toggle-buttons").forEach(function (box) {
      var l = box.querySelector(":scope > .widget-label");
      if (!found && l && l.textContent.trim() === label) { found = box; }
    });
    return found;
  }
  function valueOf(box, end) {
    if (!box) { return null; }
    var active = box.querySelector(".widget-toggle-button.mod-active");
    if (box.querySelector(".widget-toggle-button")) { return active ? active.textContent.trim() : null; }
    var readout = box.querySelector(".widget-readout");
    if (!readout) { return null; }
    var text = readout.textContent.replace(/\u2212/g, "-");
    if (end === null) { return number(text); }
    var parts = text.split(/\s*[\u2013\u2014]\s*|\s+-\s+/);
    return parts.length > end ? number(parts[end]) : null;
  }
  function nearest(values, value) {
    var best = -1, gap = Infinity;
    values.forEach(function (v, i) {
      var d = typeof v === "number" ? Math.abs(v - value) : (v === value ? 0 : Infinity);
      if (d < gap) { gap = d; best = i; }
    });
    return best;
  }
  function attach(script) {
    var data = JSON.parse(script.textContent);
    var holder = script.closest(".jp-OutputArea-child, .output_area");
    if (holder) { holder.style.display = "none"; }  // data, not a picture: takes no room on a slide
    var cell = script.closest(".jp-Cell, .cell") || script.parentNode;
    var last = data.controls.map(function () { return null; });
    var busy = false;
    function show(image) {
      var img = cell.querySelector("img.widget-image");
      if (!img) { return; }
      var src = "data:image/png;base64," + data.images[image][0];
      if (img.getAttribute("src") !== src) {
        img.setAttribute("src", src);
        img.setAttribute("alt", data.images[image][1]);
        var text = cell.querySelector(".teaching-description");
        if (text) { text.textContent = data.images[image][1]; }
      }
    }
    function check() {
      if (busy) { return; }
      busy = true;
      try {
        data.controls.forEach(function (control, i) {
          var value = valueOf(controlOf(cell, control.label), control.end);
          if (value === null || (typeof value === "number" && isNaN(value))) { return; }
          if (last[i] === null) { last[i] = value; return; }  // first seen: the start value
          if (value !== last[i]) {
            last[i] = value;
            var k = nearest(control.values, value);
            if (k >= 0) { show(control.images[k]); }
          }
        });
      } finally { busy = false; }
    }
    // In a deck, a key on a slider (arrows, Home, End) or a switch's button (Space, Enter)
    // acts on it, not on the deck (reveal.js listens on the document, where the key arrives next)
    cell.addEventListener("keydown", function (event) {
      if (event.target.closest && event.target.closest(".noUi-handle, .widget-toggle-button")) {
        event.stopPropagation();
      }
    });
    new MutationObserver(check).observe(cell, {subtree: true, childList: true, characterData: true,
                                               attributes: true, attributeFilter: ["class"]});
    check();
  }
  function start() {
    document.querySelectorAll("script.teaching-frames").forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
