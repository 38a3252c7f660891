// Progressive enhancement only: the page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Submit when the sort order changes.
  document.querySelectorAll("select.autosubmit").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });
  // Filter the person facet list as the user types, folding spelling as the index does (the
  // analyzer's own character table, in data-fold); the no-JS form still works on Enter.
  document.querySelectorAll(".facet-filter-input").forEach(function (input) {
    var table = JSON.parse(input.getAttribute("data-fold") || "{}");
    var fold = function (text) {
      var out = "";
      for (var i = 0; i < text.length; i++) {
        var c = text[i];
        out += Object.prototype.hasOwnProperty.call(table, c) ? table[c] : c;
      }
      return out.toLowerCase().replace(/\s+/g, " ").trim();
    };
    var list = input.closest(".facet").querySelector("ul");
    input.addEventListener("input", function () {
      var needle = fold(input.value);
      list.querySelectorAll("li").forEach(function (li) {
        var value = li.querySelector(".facet-value");
        var key = value ? (value.getAttribute("data-key") || fold(value.getAttribute("data-value") || "")) : "";
        // a name typed in Latin script matches the Latin form shown beside the Arabic one
        var latin = value ? (value.getAttribute("data-latin") || "").toLowerCase() : "";
        li.classList.toggle("hidden", !!needle && !!value && key.indexOf(needle) === -1 && latin.indexOf(needle) === -1);
      });
    });
  });
});
// After Back or Forward the browser may restore the form as it was typed: make it follow the URL.
window.addEventListener("pageshow", function () {
  var form = document.getElementById("search-form");
  if (!form) { return; }
  var params = new URLSearchParams(window.location.search);
  ["q", "from", "to"].forEach(function (name) {
    if (form.elements[name]) { form.elements[name].value = params.get(name) || ""; }
  });
  var sel = form.elements.sort;
  if (sel) {
    var wanted = params.get("sort") || "relevance";
    var chosen = sel.querySelector('option[value="' + wanted + '"]');
    if (chosen) { sel.value = wanted; }
  }
});
