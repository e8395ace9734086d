// The "Print" button of printable pages (agreement, certificate). Hidden without JavaScript,
// where the browser's own print command does the same; no inline script (Content-Security-Policy).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
