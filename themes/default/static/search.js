/* cuenta: offline search. Loads search-index.js on first use (works from file://). */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form || !("normalize" in String.prototype)) return;
  var input = form.querySelector("input"),
    status = form.querySelector(".search-status"),
    list = form.querySelector(".search-results"),
    d = form.dataset, MAX = 20, loading = false, hay = null, timer;

  function norm(s) {
    return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function load() {
    if (loading || window.CUENTA_SEARCH_INDEX) return;
    loading = true;
    status.textContent = d.loading;
    var sc = document.createElement("script");
    sc.src = d.index;
    sc.onload = later;
    sc.onerror = function () { loading = false; status.textContent = ""; };
    document.head.appendChild(sc);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function snippet(x, words) {
    var nx = norm(x), i = -1;
    for (var k = 0; k < words.length && i < 0; k++) i = nx.indexOf(words[k]);
    if (nx.length !== x.length) i = -1; /* offsets no longer line up */
    var p = el("p", "search-snippet");
    if (i < 0) { p.textContent = x.slice(0, 140) + (x.length > 140 ? "…" : ""); return p; }
    var a = Math.max(0, i - 60), b = Math.min(x.length, i + 100), w = words[k - 1].length, sp;
    if (a && (sp = x.indexOf(" ", a)) >= 0 && sp < i) a = sp + 1; /* whole words */
    if (b < x.length && (sp = x.lastIndexOf(" ", b)) > i + w) b = sp;
    p.appendChild(document.createTextNode((a ? "…" : "") + x.slice(a, i)));
    p.appendChild(el("mark", "", x.slice(i, i + w)));
    p.appendChild(document.createTextNode(x.slice(i + w, b) + (b < x.length ? "…" : "")));
    return p;
  }
  function run() {
    var idx = window.CUENTA_SEARCH_INDEX, q = norm(input.value).trim();
    list.textContent = "";
    if (!idx) return;
    if (!hay) hay = idx.map(function (r) { return norm(r.s + " " + r.h); });
    if (q.length < 2) { status.textContent = ""; return; }
    var words = q.split(/\s+/), hits = [];
    idx.forEach(function (r, n) {
      var head = hay[n], body = null, score = 0;
      for (var k = 0; k < words.length; k++) {
        if (head.indexOf(words[k]) >= 0) { score += 2; continue; }
        if (body === null) body = norm(r.x || "");
        if (body.indexOf(words[k]) < 0) return;
        score += 1;
      }
      hits.push({ r: r, sc: score, n: n });
    });
    hits.sort(function (a, b) { return b.sc - a.sc || a.n - b.n; });
    hits.slice(0, MAX).forEach(function (hit) {
      var r = hit.r, li = el("li"), a = el("a");
      a.href = r.u;
      if (r.h && r.h !== r.s) a.appendChild(el("span", "search-section", r.s));
      a.appendChild(el("span", "search-heading", r.h || r.s));
      li.appendChild(a);
      if (r.x) li.appendChild(snippet(r.x, words));
      list.appendChild(li);
    });
    status.textContent = hits.length ? (hits.length === 1 ? d.resultsOne : d.results).replace("{n}", hits.length) : d.noResults;
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  }
  form.hidden = false;
  input.addEventListener("focus", load);
  input.addEventListener("input", function () { load(); later(); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; run(); }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a");
    if (first) first.focus(); else run();
  });
})();
