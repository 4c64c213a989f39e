// The play/pause button of an animated figure (site/hooks.py puts the SVG in the page).
// SMIL animations of an inline <svg> pause with svg.pauseAnimations(). A reader who
// asked the system for reduced motion gets the animation paused from the start.
(function () {
  function setUp(root) {
    root.querySelectorAll(".descent-animation").forEach(function (figure) {
      var svg = figure.querySelector("svg");
      var button = figure.querySelector(".descent-animation-toggle");
      if (!svg || !button || button.dataset.ready) return;
      button.dataset.ready = "1";
      function show(paused) {
        button.textContent = paused ? button.dataset.play : button.dataset.pause;
        button.setAttribute("aria-pressed", paused ? "true" : "false");
      }
      button.addEventListener("click", function () {
        if (svg.animationsPaused()) svg.unpauseAnimations(); else svg.pauseAnimations();
        show(svg.animationsPaused());
      });
      if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
        svg.pauseAnimations();
      }
      show(svg.animationsPaused());
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { setUp(document.body); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { setUp(document.body); });
  }
})();
