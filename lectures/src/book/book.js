// The course book's search box: matches every word typed against the headings and claim ids
// of search-index.js (written when the book is built) and lists the first 20 hits as links.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var index = window.BOOK_SEARCH || [];
  if (!input || !list) return;
  function show() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (words.length === 0) return;
    var hits = index.filter(function (e) {
      var hay = e.t.toLowerCase();
      return words.every(function (w) { return hay.indexOf(w) >= 0; });
    }).slice(0, 20);
    hits.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e.u;
      a.textContent = e.t;
      var where = document.createElement("div");
      where.className = "where";
      where.textContent = e.p;
      a.appendChild(where);
      li.appendChild(a);
      list.appendChild(li);
    });
    if (hits.length === 0) {
      var none = document.createElement("li");
      none.textContent = "no heading or claim id matches";
      list.appendChild(none);
    }
  }
  input.addEventListener("input", show);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { input.value = ""; show(); }
    if (ev.key === "Enter") {
      var first = list.querySelector("a");
      if (first) window.location.href = first.href;
    }
  });
})();

// The live panels of the claim sections: shown only when `lectures explore` serves the book
// under /book/ (the live pages then exist at the server's root). "Run it here" opens the live
// page inside the section, just above the static figure the tour drew; pressing it again
// closes it (and stops its polling).
(function () {
  "use strict";
  var served = /^https?:$/.test(location.protocol) && location.pathname.indexOf("/book/") === 0;
  if (!served) return;
  Array.prototype.forEach.call(document.querySelectorAll(".live[data-live]"), function (panel) {
    var path = "/" + panel.getAttribute("data-live");
    var button = panel.querySelector("button");
    var open = panel.querySelector("a.open");
    if (!button || !open) return;
    open.href = path;
    panel.hidden = false;
    button.addEventListener("click", function () {
      var frame = panel.querySelector("iframe");
      if (frame) {
        frame.remove();
        button.textContent = "Run it here";
        return;
      }
      frame = document.createElement("iframe");
      frame.src = path;
      frame.title = "live page " + path;
      panel.appendChild(frame);
      button.textContent = "Close the live page";
    });
  });
})();
