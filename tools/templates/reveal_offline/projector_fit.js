// ==== Projector fit (issue 20) ==================================================================
// Makes every slide fit the deck's configured box (1280x720), after the CSS in projector_fit.css
// has wrapped long code and boxed long outputs:
//   1. a sub-slide that continues a section (no heading of its own) gets a line naming it;
//   2. on a slide still taller than the box, the plots shrink to the space left (not below
//      MIN_PLOT of their height), then the slide's text gets smaller (not below MIN_SCALE).
// It runs on the current slide whenever the deck shows one, and again once MathJax and the
// widgets have drawn (their heights change the slide's). Heights are reveal.js layout pixels,
// which do not depend on the screen: a slide that fits at 1280x720 fits at 1920x1080.
(function () {
  "use strict";
  var MIN_PLOT = 0.45;  // a plot keeps at least 45% of its height
  var MIN_SCALE = 0.65; // code at 12 px of 720: still readable from the back of a room

  function heading(section) {
    return section.querySelector("h1, h2, h3");
  }

  // 1. "Section title (continued)" on each sub-slide that has no heading
  document.querySelectorAll(".reveal .slides > section").forEach(function (stack) {
    var title = "";
    stack.querySelectorAll(":scope > section").forEach(function (section) {
      var own = heading(section);
      if (own) {
        title = own.textContent.replace(/\u00b6/g, "").trim();
        return;
      }
      if (!title) return;
      var line = document.createElement("p");
      line.className = "projector-continued";
      line.textContent = title + " (continued)";
      section.insertBefore(line, section.firstChild);
    });
  });

  function wrapper(section) {
    var inner = section.querySelector(":scope > .projector-fit");
    if (!inner) {
      inner = document.createElement("div");
      inner.className = "projector-fit";
      while (section.firstChild) inner.appendChild(section.firstChild);
      section.appendChild(inner);
    }
    return inner;
  }

  function fit(deck, section) {
    if (!section) return;
    var limit = deck.getConfig().height;
    var inner = wrapper(section);
    setScale(inner, 1);
    var plots = Array.prototype.filter.call(
      inner.querySelectorAll(".jp-OutputArea-output img"),
      function (img) { return img.offsetHeight > 0; });
    plots.forEach(function (img) { img.style.maxHeight = ""; });
    var over = section.scrollHeight - limit;
    if (over <= 0) return;
    // 2a. the plots give up the height the slide lacks, each in proportion to its own
    var total = plots.reduce(function (sum, img) { return sum + img.offsetHeight; }, 0);
    if (total > 0) {
      var factor = Math.max(MIN_PLOT, (total - over - 4) / total);
      plots.forEach(function (img) {
        img.style.maxHeight = Math.floor(img.offsetHeight * factor) + "px";
      });
      over = section.scrollHeight - limit;
    }
    // 2b. then the slide's text gets smaller as far as it must (and no further than MIN_SCALE).
    // Font sizes, not CSS zoom: MathJax measures the text around a formula when it re-renders
    // it on a slide change, and under zoom it measured a different size each time.
    for (var scale = 0.95; over > 0 && scale >= MIN_SCALE - 1e-9; scale -= 0.05) {
      setScale(inner, scale);
      over = section.scrollHeight - limit;
    }
  }

  // The font-size variables of the notebook's styles (px in nbconvert's reveal template)
  var SIZES = null;
  function setScale(inner, scale) {
    if (SIZES === null) {
      var root = getComputedStyle(document.documentElement);
      SIZES = {};
      ["--jp-code-font-size", "--jp-content-font-size0", "--jp-content-font-size1",
       "--jp-content-font-size2", "--jp-content-font-size3", "--jp-content-font-size4",
       "--jp-content-font-size5", "--jp-ui-font-size0", "--jp-ui-font-size1", "--jp-ui-font-size2",
       "--jp-ui-font-size3", "--jp-widgets-font-size"].forEach(function (name) {
        var value = parseFloat(root.getPropertyValue(name));
        if (value > 0 && /px\s*$/.test(root.getPropertyValue(name))) SIZES[name] = value;
      });
    }
    Object.keys(SIZES).forEach(function (name) {
      if (scale === 1) inner.style.removeProperty(name);
      else inner.style.setProperty(name, (SIZES[name] * scale).toFixed(2) + "px");
    });
    inner.style.fontSize = scale === 1 ? "" : Math.round(scale * 100) + "%";
    inner.dataset.scale = scale === 1 ? "" : scale.toFixed(2);
  }

  function current(deck) {
    var slide = deck.getCurrentSlide();
    return slide && slide.querySelector(":scope > section.present") || slide;
  }

  require([document.querySelector("link[href$='dist/reveal.css']").getAttribute("href").replace(/css$/, "js")],
    function (deck) {
      var refit = function () { fit(deck, current(deck)); };
      // and once more after MathJax has re-rendered the new slide's formulas (the template's
      // own slidechanged handler queues that; ours queues behind it)
      var refitAfterMath = function () {
        refit();
        setTimeout(function () {
          if (window.MathJax && MathJax.Hub) MathJax.Hub.Queue(refit);
        }, 0);
      };
      var start = function () {
        refitAfterMath();
        deck.on("slidechanged", refitAfterMath);
        if (window.MathJax && MathJax.Hub) {
          ["End Process", "End Rerender", "End Reprocess"].forEach(function (message) {
            MathJax.Hub.Register.MessageHook(message, refit);
          });
        }
        window.addEventListener("load", refit);
        // a font variant loaded on first use, or the widgets manager drawing a slider, changes
        // a slide's height after it was fitted: fit the slide on screen again whenever any
        // slide's content changes size
        if (document.fonts) {
          document.fonts.ready.then(refit);
          document.fonts.addEventListener("loadingdone", refit);
        }
        if (window.ResizeObserver) {
          var observer = new ResizeObserver(function () { refit(); });
          document.querySelectorAll(".reveal .slides section").forEach(function (section) {
            if (!section.querySelector(":scope > section")) observer.observe(wrapper(section));
          });
        }
      };
      if (deck.isReady()) start(); else deck.on("ready", start);
      window.projectorFit = { fit: fit, refit: refit };
    });
})();
// ==== end of projector fit ======================================================================
