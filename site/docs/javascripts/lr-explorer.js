// The learning-rate explorer of unit 5: gradient descent on the Rosenbrock function
// f(x1, x2) = (x2 − x1²)² + (1 − x1)², from (2, 2), with time-based decay
// lr_i = lr0 / (1 + decay · i): the loop of the lesson, redrawn at every move of a slider.
// Plain JavaScript and SVG, nothing loaded from elsewhere. The page writes the
// controls and words in its language; this file only computes and draws.
(function () {
  var SVG = "http://www.w3.org/2000/svg";
  var START = [2.0, 2.0];
  var X1 = [-2.0, 2.5], X2 = [-1.0, 3.5];   // the plotted region, as in the lesson's figure
  var SIZE = 360, MARGIN = 30;
  var ESCAPED = 1e6;                          // a path this far out has diverged

  function rosenbrock(x1, x2) {
    return (x2 - x1 * x1) * (x2 - x1 * x1) + (1 - x1) * (1 - x1);
  }

  function gradient(x1, x2) {
    var inner = x2 - x1 * x1;
    return [-4 * x1 * inner - 2 * (1 - x1), 2 * inner];
  }

  // The iterates x_0 … x_n of x ← x − lr_i ∇f(x), stopping early if they blow up.
  function trajectory(lr0, decay, iterations, start) {
    var x = (start || START).slice();
    var points = [x.slice()];
    for (var i = 0; i < iterations; i++) {
      var lr = lr0 / (1 + decay * i);
      var g = gradient(x[0], x[1]);
      x = [x[0] - lr * g[0], x[1] - lr * g[1]];
      points.push(x.slice());
      if (!isFinite(x[0]) || !isFinite(x[1]) || Math.abs(x[0]) > ESCAPED || Math.abs(x[1]) > ESCAPED) break;
    }
    return points;
  }

  window.descentExplorer = { trajectory: trajectory, rosenbrock: rosenbrock };

  function screen(point) {
    var inner = SIZE - 2 * MARGIN;
    return [
      MARGIN + (point[0] - X1[0]) / (X1[1] - X1[0]) * inner,
      SIZE - MARGIN - (point[1] - X2[0]) / (X2[1] - X2[0]) * inner,
    ];
  }

  function element(name, attributes, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function drawBackground(svg) {
    var cells = 45, inner = SIZE - 2 * MARGIN, side = inner / cells;
    var background = element("g", { "class": "lr-explorer-background" }, svg);
    for (var row = 0; row < cells; row++) {
      for (var column = 0; column < cells; column++) {
        var x1 = X1[0] + (column + 0.5) / cells * (X1[1] - X1[0]);
        var x2 = X2[1] - (row + 0.5) / cells * (X2[1] - X2[0]);
        var level = Math.min(1, Math.max(0, (Math.log10(rosenbrock(x1, x2) + 1e-3) + 3) / 6));
        var light = Math.round(97 - 45 * level);
        element("rect", {
          x: (MARGIN + column * side).toFixed(2), y: (MARGIN + row * side).toFixed(2),
          width: (side + 0.3).toFixed(2), height: (side + 0.3).toFixed(2),
          fill: "hsl(231, 48%, " + light + "%)",
        }, background);
      }
    }
    var valley = [];
    for (var k = 0; k <= 60; k++) {
      var v = X1[0] + k / 60 * (X1[1] - X1[0]);
      if (v * v <= X2[1]) valley.push(screen([v, v * v]).map(function (c) { return c.toFixed(1); }).join(","));
    }
    element("polyline", { points: valley.join(" "), "class": "lr-explorer-valley" }, svg);
    element("rect", { x: MARGIN, y: MARGIN, width: inner, height: inner, "class": "lr-explorer-frame" }, svg);
    [[X1[0], "x1", 0], [X1[1], "x1", 0], [X2[0], "x2", 1], [X2[1], "x2", 1]].forEach(function (tick) {
      var at = tick[2] === 0 ? screen([tick[0], X2[0]]) : screen([X1[0], tick[0]]);
      element("text", {
        x: tick[2] === 0 ? at[0] : at[0] - 4, y: tick[2] === 0 ? at[1] + 14 : at[1] + 4,
        "text-anchor": tick[2] === 0 ? "middle" : "end", "class": "lr-explorer-tick",
      }, svg).textContent = String(tick[0]);
    });
    var minimum = screen([1, 1]), start = screen(START);
    element("circle", { cx: minimum[0], cy: minimum[1], r: 5, "class": "lr-explorer-minimum" }, svg);
    element("rect", { x: start[0] - 4, y: start[1] - 4, width: 8, height: 8, "class": "lr-explorer-start" }, svg);
  }

  function format(value, digits) {
    if (!isFinite(value)) return String(value);
    return Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(2) : value.toFixed(digits);
  }

  function setUp(explorer) {
    if (explorer.dataset.ready) return;
    explorer.dataset.ready = "1";
    var svg = explorer.querySelector("svg.lr-explorer-plot");
    svg.setAttribute("viewBox", "0 0 " + SIZE + " " + SIZE);
    drawBackground(svg);
    var clip = element("clipPath", { id: "lr-explorer-clip" }, element("defs", {}, svg));
    element("rect", { x: MARGIN, y: MARGIN, width: SIZE - 2 * MARGIN, height: SIZE - 2 * MARGIN }, clip);
    var path = element("polyline", { "class": "lr-explorer-path", "clip-path": "url(#lr-explorer-clip)" }, svg);
    var inputs = {};
    explorer.querySelectorAll("input[type=range]").forEach(function (input) { inputs[input.name] = input; });
    var readout = explorer.querySelector(".lr-explorer-readout");

    function redraw() {
      var lr0 = parseFloat(inputs.lr0.value), decay = parseFloat(inputs.decay.value);
      var iterations = parseInt(inputs.iterations.value, 10);
      explorer.querySelectorAll("output").forEach(function (output) {
        output.textContent = inputs[output.getAttribute("for")].value;
      });
      var points = trajectory(lr0, decay, iterations);
      path.setAttribute("points", points.map(function (point) {
        return screen(point).map(function (c) { return Math.max(-1e4, Math.min(1e4, c)).toFixed(2); }).join(",");
      }).join(" "));
      var last = points[points.length - 1];
      var diverged = points.length < iterations + 1;
      var words = diverged ? readout.dataset.diverged : readout.dataset.template;
      readout.textContent = words
        .replace("{iterations}", String(iterations))
        .replace("{at}", String(points.length - 1))
        .replace("{x1}", format(last[0], 4))
        .replace("{x2}", format(last[1], 4))
        .replace("{loss}", format(rosenbrock(last[0], last[1]), 6))
        .replace("{lr}", format(lr0 / (1 + decay * (iterations - 1)), 4));
      explorer.dataset.diverged = diverged ? "true" : "false";
    }

    Object.keys(inputs).forEach(function (name) { inputs[name].addEventListener("input", redraw); });
    redraw();
  }

  function setUpAll(root) { root.querySelectorAll(".lr-explorer").forEach(setUp); }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { setUpAll(document.body); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { setUpAll(document.body); });
  }
})();
