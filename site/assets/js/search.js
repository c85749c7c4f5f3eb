// Progressive enhancement of the search page: the results follow the words as they are typed,
// asked of the same address and shown in the same HTML as the page sent with the button. Without
// this script, the form is sent as usual.
(function () {
  var form = document.querySelector("form.search-page");
  var results = document.getElementById("risultati");
  var status = document.getElementById("cerca-stato");
  if (!form || !results || !window.fetch || !window.DOMParser || !window.AbortController) return;
  var input = form.elements.q;
  var last = input.value.trim();
  var timer, pending;
  var search = function () {
    var q = input.value.trim();
    if (q === last) return;
    last = q;
    var url = form.action + "?q=" + encodeURIComponent(q);
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(url, { signal: pending.signal, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("risultati");
        if (!fresh) return;
        results.replaceWith(fresh);
        results = fresh;
        document.title = page.title;
        var h1 = document.querySelector("main h1"), freshH1 = page.querySelector("main h1");
        if (h1 && freshH1) h1.textContent = freshH1.textContent;
        history.replaceState(null, "", url);
        var count = fresh.querySelector("h2");
        if (status) status.textContent = count ? count.textContent : "";
      })
      .catch(function () { /* the button still sends the form */ });
  };
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 300);
  });
})();
