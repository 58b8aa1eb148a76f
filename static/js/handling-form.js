// The handling form when the interferer's unit is unknown (both kinds open): only the part of the
// chosen kind is shown. The server reads only that part too (discipline/review/forms.py), so without
// this script both parts stay visible and nothing else changes.
(function () {
  "use strict";
  var radios = document.querySelectorAll("input[name=kind]");
  var parts = document.querySelectorAll("fieldset[data-handling-kind]");
  function show() {
    var chosen = document.querySelector("input[name=kind]:checked");
    parts.forEach(function (part) {
      part.hidden = !chosen || part.dataset.handlingKind !== chosen.value;
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", show); });
  show();
})();
