// Bulk import: show how far a large file has gone. An enhancement only: without it the forms
// post as usual and the page says to keep it open.
(function () {
  "use strict";
  var announcer = document.querySelector("[data-announce]");
  var percent = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    style: "percent"
  });

  function announce(text) {
    if (announcer) { announcer.textContent = text.trim(); }
  }

  function reveal(form) {
    var progress = form.querySelector(".import-progress");
    progress.hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
    return progress;
  }

  // After a check, the report is what the person came for: take them to it.
  var report = document.getElementById("report-title");
  if (report) { report.focus(); }

  // Confirming: one request that imports every row at once; say it is under way.
  var confirm = document.querySelector("form[data-import-progress]");
  if (confirm) {
    confirm.addEventListener("submit", function () {
      announce(reveal(confirm).textContent);
    });
  }

  // Checking: send the file with a bar that follows the bytes sent, then say the portal is
  // reading it, and show its answer as the page it is.
  var upload = document.querySelector("form[data-import-upload]");
  if (!upload || !window.FormData || !window.XMLHttpRequest) { return; }
  upload.addEventListener("submit", function (event) {
    var input = upload.querySelector("input[type=file]");
    if (!input || !input.files.length) { return; }
    event.preventDefault();
    var progress = reveal(upload);
    var bar = progress.querySelector("progress");
    var shown = progress.querySelector("[data-percent]");
    var sending = progress.querySelector("[data-sending]");
    var checking = progress.querySelector("[data-checking]");
    var request = new XMLHttpRequest();
    announce(sending.textContent.replace(shown.textContent, ""));

    function fallBack() {
      // No answer at all (a lost connection, a timeout): let the browser send the form.
      upload.submit();
    }

    request.open("POST", upload.action);
    request.timeout = 10 * 60 * 1000;
    request.upload.addEventListener("progress", function (sent) {
      if (!sent.lengthComputable) { return; }
      bar.value = Math.round(100 * sent.loaded / sent.total);
      shown.textContent = percent.format(sent.loaded / sent.total);
    });
    request.upload.addEventListener("load", function () {
      sending.hidden = true;
      checking.hidden = false;
      bar.removeAttribute("value");
      announce(checking.textContent);
    });
    request.addEventListener("load", function () {
      var answeredHere = request.responseURL.split("#")[0] === upload.action.split("#")[0];
      if (request.responseURL && !answeredHere) {
        // Sent elsewhere, such as to the login page once a session has ended: go there.
        window.location.assign(request.responseURL);
        return;
      }
      if (!/html/.test(request.getResponseHeader("Content-Type") || "")) {
        fallBack();
        return;
      }
      // The portal's page, a report or an error, shown as the browser would have shown it.
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", fallBack);
    request.addEventListener("timeout", fallBack);
    request.send(new FormData(upload));
  });
}());
