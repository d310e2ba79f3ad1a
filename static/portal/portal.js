// Small behaviours of every portal page, from a file so the Content-Security-Policy can forbid
// inline scripts and on*="" handlers.
document.addEventListener("DOMContentLoaded", function () {
  // A filter that applies as soon as it changes (a submit button is still there without JS).
  document.querySelectorAll("select.auto-submit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Move focus to an error summary so screen-reader users hear what went wrong.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();
});
