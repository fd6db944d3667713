// The region page's instance table: sort by a column, filter by text, and
// show an instance's details on demand. Without script the table still
// reads; only the details stay hidden.
(function () {
  "use strict";
  var table = document.getElementById("instances");
  if (!table) return;
  var bodies = function () { return Array.prototype.slice.call(table.tBodies); };

  table.addEventListener("click", function (ev) {
    var b = ev.target.closest("button.more");
    if (!b) return;
    var row = document.getElementById(b.getAttribute("aria-controls"));
    var open = row.hidden;
    row.hidden = !open;
    b.setAttribute("aria-expanded", String(open));
    b.textContent = open ? "hide" : "details";
  });

  var dir = {};
  table.tHead.addEventListener("click", function (ev) {
    var th = ev.target.closest("th[data-col]");
    if (!th) return;
    var col = +th.dataset.col;
    dir[col] = dir[col] === 1 ? -1 : 1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir[col] === 1 ? "ascending" : "descending");
    var cell = function (tb) { return tb.rows[0].cells[col].textContent.trim(); };
    bodies().sort(function (a, b) {
      return dir[col] * cell(a).localeCompare(cell(b), undefined, {numeric: true});
    }).forEach(function (tb) { table.appendChild(tb); });
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
  apply();
})();
