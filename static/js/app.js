// Site-wide behaviour (served locally; the CSP forbids inline scripts): after a failed submission, move
// the keyboard focus to the error summary so screen readers read it and Tab reaches its links first.
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
})();
