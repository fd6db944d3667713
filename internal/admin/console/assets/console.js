// Asks before a form marked data-confirm is sent (no inline handlers: the
// console's Content-Security-Policy allows scripts from this server only).
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) {
    e.preventDefault();
  }
});
