// Polls the report job's status endpoint and moves the progress bar; shows the download link when
// the PDF is ready. Served locally (no CDN, no inline script: the CSP forbids both).
(function () {
  "use strict";
  var box = document.getElementById("report-job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("[data-role=bar]");
  var status = box.querySelector("[data-role=status]");
  var download = box.querySelector("[data-role=download]");
  var error = box.querySelector("[data-role=error]");
  var notice = box.querySelector("[data-role=notice]");
  function show(data) {
    var p = Math.max(0, Math.min(100, data.progress | 0));
    bar.style.width = p + "%";
    bar.textContent = p + "%";
    bar.parentNode.setAttribute("aria-valuenow", String(p));
    status.textContent = data.status_display;
    if (data.download && !download.querySelector("a")) {
      var a = document.createElement("a");
      a.className = "btn btn-success btn-sm";
      a.href = data.download;
      a.textContent = box.getAttribute("data-download-label");
      download.appendChild(a);
    }
    notice.textContent = data.notice || "";
    error.textContent = data.error || "";
    return data.status === "queued" || data.status === "running";
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (show(data)) { window.setTimeout(poll, 1000); } })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
