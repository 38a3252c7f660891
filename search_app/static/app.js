// Progressive enhancement only: the page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Submit when the sort order changes.
  document.querySelectorAll("select.autosubmit").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });
  // Filter the person facet list as the user types (the no-JS form still works on Enter).
  document.querySelectorAll(".facet-filter-input").forEach(function (input) {
    var list = input.closest(".facet").querySelector("ul");
    input.addEventListener("input", function () {
      var needle = input.value.trim();
      list.querySelectorAll("li").forEach(function (li) {
        var label = li.querySelector(".label");
        li.classList.toggle("hidden", !!needle && !!label && label.textContent.indexOf(needle) === -1);
      });
    });
  });
});
