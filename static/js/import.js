// Bulk import: show how far a large file has gone. An enhancement only: without it the forms
// post as usual and the page says to keep it open.
(function () {
  "use strict";
  var percent = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    style: "percent"
  });

  function reveal(form) {
    var progress = form.querySelector(".import-progress");
    progress.hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
    return progress;
  }

  // Confirming: one request that imports every row at once; say it is under way.
  var confirm = document.querySelector("form[data-import-progress]");
  if (confirm) {
    confirm.addEventListener("submit", function () { reveal(confirm); });
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
    var request = new XMLHttpRequest();
    request.open("POST", upload.action || window.location.href);
    request.upload.addEventListener("progress", function (sent) {
      if (!sent.lengthComputable) { return; }
      bar.value = Math.round(100 * sent.loaded / sent.total);
      shown.textContent = percent.format(sent.loaded / sent.total);
    });
    request.upload.addEventListener("load", function () {
      progress.querySelector("[data-sending]").hidden = true;
      progress.querySelector("[data-checking]").hidden = false;
      bar.removeAttribute("value");
    });
    request.addEventListener("load", function () {
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      // The connection dropped: fall back to the browser's own sending.
      upload.submit();
    });
    request.send(new FormData(upload));
  });
}());
