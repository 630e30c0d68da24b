// kgraph: small enhancements; every page works without them.
(function () {
  "use strict";

  // Name suggestions for search boxes, from the JSON API.
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null, last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (!list || q.length < 2 || q === last) return;
        last = q;
        fetch(input.dataset.suggest + "?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { data: [] }; })
          .then(function (page) {
            list.replaceChildren.apply(list, page.data.map(function (hit) {
              var option = document.createElement("option");
              option.value = hit.label || hit.matched;
              return option;
            }));
          })
          .catch(function () {});
      }, 150);
    });
  });

  // Network picture: hovering a person highlights the lines that touch them.
  document.querySelectorAll("figure.network svg").forEach(function (svg) {
    var edges = svg.querySelectorAll("line.edge");
    svg.querySelectorAll(".node").forEach(function (node) {
      var iri = node.dataset.iri;
      node.addEventListener("mouseenter", function () {
        edges.forEach(function (e) {
          var touches = e.dataset.a === iri || e.dataset.b === iri;
          e.classList.toggle("hot", touches);
          e.classList.toggle("dim", !touches);
        });
      });
      node.addEventListener("mouseleave", function () {
        edges.forEach(function (e) { e.classList.remove("hot", "dim"); });
      });
    });
  });
})();
