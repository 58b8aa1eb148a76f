// The 登记表's person pickers: choosing a person of the registry fills the written name, position and
// unit beside it, unless the officer has typed something else there (the record keeps what was told).
(function () {
  "use strict";
  var keys = ["name", "position", "unit"];
  document.querySelectorAll("select[data-fill-name]").forEach(function (select) {
    var filled = {};
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      keys.forEach(function (key) {
        var input = document.getElementById(select.dataset["fill" + key.charAt(0).toUpperCase() + key.slice(1)] || "");
        if (!input) { return; }
        var value = (option && option.dataset[key]) || "";
        // Only an empty field or one this script filled is replaced.
        if (input.value === "" || input.value === filled[key]) {
          input.value = value;
          filled[key] = value;
        }
      });
    });
  });
})();
