// Typeset the maths that pymdownx.arithmatex (generic mode) leaves in the page:
// <span class="arithmatex">\(…\)</span> inline and <div class="arithmatex">\[…\]</div>
// for display maths. Rendering each element directly, rather than scanning the
// page for $ signs, leaves dollar signs in code and prose alone.
// `document$` is Material's page-load stream: it fires again after instant navigation.
(function () {
  function typeset(root) {
    root.querySelectorAll(".arithmatex").forEach(function (element) {
      var source = element.textContent.trim();
      var display = element.tagName === "DIV";
      // Strip the delimiters arithmatex wrote: \( \) or \[ \].
      var tex = source.replace(/^\\[([]/, "").replace(/\\[)\]]$/, "");
      katex.render(tex, element, { displayMode: display, throwOnError: false });
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { typeset(document.body); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { typeset(document.body); });
  }
})();
