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

// A polled part is drawn anew every second or few: an error's detail the user opened (a long
// traceback) stays open across the redraw rather than folding up while it is read.
var keptOpen = null;
document.addEventListener('htmx:beforeSwap', function () {
  keptOpen = {};
  document.querySelectorAll('details[data-keep]').forEach(function (d) {
    keptOpen[d.getAttribute('data-keep')] = d.open;
  });
});
document.addEventListener('htmx:afterSwap', function () {
  if (keptOpen === null) {
    return;
  }
  document.querySelectorAll('details[data-keep]').forEach(function (d) {
    if (keptOpen[d.getAttribute('data-keep')] === true) {
      d.open = true;
    }
  });
});
