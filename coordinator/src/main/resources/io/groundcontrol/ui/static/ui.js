// Groundcontrol web UI: the little script htmx does not cover.
// A form with data-confirm asks first; a submitted form disables its buttons so a double
// click sends one request (the start form is idempotent anyway).
document.addEventListener('submit', function (event) {
  var form = event.target;
  var question = form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  setTimeout(function () {
    form.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
  }, 0);
});
