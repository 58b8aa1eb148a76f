// Follows report jobs without a reload: every element with data-status-url (the progress box of one
// job, a row of the report list) polls that job's status endpoint and updates the parts it has
// (data-role bar, status, download, notice, worker, error), until the job is done or failed. A box
// with data-reload-when-finished reloads its page then (an import job's page shows its result).
// Served locally (no CDN, no inline script: the CSP forbids both).
(function () {
  "use strict";
  function follow(box) {
    var url = box.getAttribute("data-status-url");
    function part(role) { return box.querySelector("[data-role=" + role + "]"); }
    function setText(role, text) { var el = part(role); if (el) { el.textContent = text || ""; } }
    function show(data) {
      var bar = part("bar");
      if (bar) {
        var p = Math.max(0, Math.min(100, data.progress | 0));
        bar.style.width = p + "%";
        bar.textContent = p + "%";
        bar.parentNode.setAttribute("aria-valuenow", String(p));
      }
      setText("status", data.status_display);
      var download = part("download");
      if (download && data.download && !download.querySelector("a")) {
        var a = document.createElement("a");
        a.className = box.getAttribute("data-download-class") || "";
        a.href = data.download;
        a.textContent = box.getAttribute("data-download-label");
        download.textContent = "";
        download.appendChild(a);
      }
      setText("notice", data.notice);
      setText("worker", data.worker_notice);
      setText("error", data.error);
      return data.status === "queued" || data.status === "running";
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (show(data)) { window.setTimeout(poll, 1000); }
          else if (box.hasAttribute("data-reload-when-finished")) { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    poll();
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-status-url]"), follow);
})();
