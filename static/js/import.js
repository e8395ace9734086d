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
      // Anything but the portal's answer on this page (a lost connection, a session that
      // ended, a server error): let the browser send the form and show what comes.
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
      if (request.status !== 200 || !answeredHere) {
        if (!answeredHere && request.responseURL) {
          window.location.assign(request.responseURL);
        } else {
          fallBack();
        }
        return;
      }
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", fallBack);
    request.addEventListener("timeout", fallBack);
    request.send(new FormData(upload));
  });
}());
