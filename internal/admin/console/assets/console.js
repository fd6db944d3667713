// Asks before a form marked data-confirm is sent (no inline handlers: the
// console's Content-Security-Policy allows scripts from this server only).
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) {
    e.preventDefault();
  }
});

// The region page's instance table: sort by a column, filter by text, and
// show an instance's details on demand. Without script the table still
// reads; only the details stay hidden.
(function () {
  "use strict";
  var table = document.getElementById("instances");
  if (!table) return;
  var bodies = function () { return Array.prototype.slice.call(table.tBodies); };

  var toggle = function (b, open) {
    var row = document.getElementById(b.getAttribute("aria-controls"));
    row.hidden = !open;
    b.setAttribute("aria-expanded", String(open));
    b.textContent = open ? "hide" : "details";
  };
  table.addEventListener("click", function (ev) {
    var b = ev.target.closest("button.more");
    if (b) toggle(b, b.getAttribute("aria-expanded") !== "true");
  });

  var dir = {};
  var sort = function (th, d) {
    var col = +th.dataset.col;
    dir[col] = d;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir[col] === 1 ? "ascending" : "descending");
    var cell = function (tb) { return tb.rows[0].cells[col].textContent.trim(); };
    bodies().sort(function (a, b) {
      return dir[col] * cell(a).localeCompare(cell(b), undefined, {numeric: true});
    }).forEach(function (tb) { table.appendChild(tb); });
  };
  table.tHead.addEventListener("click", function (ev) {
    var th = ev.target.closest("th[data-col]");
    if (th) sort(th, dir[+th.dataset.col] === 1 ? -1 : 1);
  });

  var filter = document.getElementById("filter"), shown = document.getElementById("shown");
  var apply = function () {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean), n = 0;
    bodies().forEach(function (tb) {
      var text = tb.rows[0].textContent.toLowerCase();
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      tb.hidden = !hit;
      if (hit) n++;
    });
    shown.textContent = words.length ? n + " of " + bodies().length + " shown" : "";
  };
  filter.addEventListener("input", apply);

  // A link may carry the view: ?filter=WORDS&sort=N (column N, -N
  // descending)&open=INSTANCE-ID, or #INSTANCE-ID to open and scroll there.
  var q = new URLSearchParams(location.search);
  if (q.has("filter")) filter.value = q.get("filter");
  var n = parseInt(q.get("sort"), 10);
  var th = !isNaN(n) && table.tHead.querySelector('th[data-col="' + Math.abs(n) + '"]');
  if (th) sort(th, n < 0 || Object.is(n, -0) ? -1 : 1);
  apply();
  var open = function (id, scroll) {
    var target = id && document.getElementById(id);
    var b = target && target.querySelector("button.more");
    if (!b) return;
    toggle(b, true);
    if (scroll) target.scrollIntoView();
  };
  open(q.get("open"), false);
  if (location.hash) open(decodeURIComponent(location.hash.slice(1)), true);
})();
