// The citizen's personal area, kept in this browser only (localStorage): the contact data they
// asked to remember, the codes and keys of the requests sent from here, and what they follow.
// Nothing of it is sent to the Comune but a request's code and key, to ask for its status. Every
// page works without this script; the elements it acts on stay hidden without it.
(function () {
  var KEY = "shaps-area";
  var PENDING = "shaps-area-pending"; // sessionStorage: remember the request the form is sending
  var MAX = 100; // requests kept, and things followed of each kind (the calendar's own limit)
  var FIELDS = ["name", "email", "phone"];
  var PREFS = ["email", "phone", "none"];
  var CODE = /^[A-Z]{1,4}-[0-9A-Z]{4}-[0-9A-Z]{2}(-[0-9]{1,4})?$/;

  var store;
  try {
    store = window.localStorage;
    store.setItem(KEY + "-test", "1");
    store.removeItem(KEY + "-test");
  } catch (e) {
    store = null;
  }

  function empty() { return { data: null, requests: [], follow: [] }; }

  function load() {
    if (!store) return empty();
    try {
      var s = JSON.parse(store.getItem(KEY) || "null");
      if (!s || typeof s !== "object") return empty();
      return {
        data: s.data && typeof s.data === "object" ? s.data : null,
        requests: Array.isArray(s.requests) ? s.requests.filter(function (r) { return r && CODE.test(r.code); }) : [],
        follow: Array.isArray(s.follow) ? s.follow.filter(function (f) { return f && (f.kind === "associazioni" || f.kind === "categorie") && /^[a-z0-9-]{2,60}$/.test(f.id); }) : []
      };
    } catch (e) {
      return empty();
    }
  }

  function save(s) {
    if (!store) return;
    if (!s.data && !s.requests.length && !s.follow.length) {
      store.removeItem(KEY);
      return;
    }
    store.setItem(KEY, JSON.stringify(s));
  }

  function text(s) { return typeof s === "string" ? s.slice(0, 200) : ""; }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    (children || []).forEach(function (c) { e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }

  function statusURL(r) {
    var q = "codice=" + encodeURIComponent(r.code);
    if (r.key) q += "&chiave=" + encodeURIComponent(r.key);
    return "/richieste/stato/?" + q;
  }

  // The request form: offer to remember, fill in what was remembered, keep it on sending.
  var form = document.querySelector("form.request");
  var remember = document.getElementById("f-remember");
  if (form && remember && store) {
    remember.hidden = false;
    var keepData = document.getElementById("f-remember-data");
    var keepRequest = document.getElementById("f-remember-request");
    try { keepRequest.checked = window.sessionStorage.getItem(PENDING) === "1"; } catch (e) { /* none */ }
    var s = load();
    if (s.data) {
      keepData.checked = true;
      FIELDS.forEach(function (f) {
        var input = form.elements[f];
        if (input && !input.value && s.data[f]) input.value = text(s.data[f]);
      });
      // A form sent back by the intake already holds the citizen's choice.
      var chosen = form.querySelector("input[name=contact_preference]:checked");
      var pref = document.getElementById("f-pref-" + s.data.contact_preference);
      if (pref && !form.querySelector(".error-summary") && (!chosen || chosen.defaultChecked)) pref.checked = true;
    }
    form.addEventListener("submit", function () {
      var s = load();
      if (keepData.checked) {
        var d = {};
        FIELDS.forEach(function (f) { d[f] = text(form.elements[f] && form.elements[f].value.trim()); });
        var p = form.querySelector("input[name=contact_preference]:checked");
        d.contact_preference = p && PREFS.indexOf(p.value) >= 0 ? p.value : "";
        s.data = d;
      } else {
        s.data = null; // unticked: the citizen no longer wants it remembered
      }
      save(s);
      try {
        if (keepRequest.checked) window.sessionStorage.setItem(PENDING, "1");
        else window.sessionStorage.removeItem(PENDING);
      } catch (e) { /* nothing to remember then */ }
    });
  }

  // The thanks page: remember the request just sent, when the citizen asked to.
  if (/^\/richieste\/inviata\/?$/.test(window.location.pathname) && store) {
    var pending = false;
    try {
      pending = window.sessionStorage.getItem(PENDING) === "1";
      window.sessionStorage.removeItem(PENDING);
    } catch (e) { /* no session storage */ }
    var code = new URLSearchParams(window.location.search).get("codice") || "";
    var key = "";
    var link = document.querySelector("main a[href*='/richieste/stato/?']");
    if (link) {
      var q = new URL(link.href, window.location.href).searchParams;
      if (q.get("codice")) code = q.get("codice");
      key = q.get("chiave") || "";
    }
    if (pending && CODE.test(code)) {
      var st = load();
      st.requests = st.requests.filter(function (r) { return r.code !== code; });
      st.requests.unshift({ code: code, key: text(key), sent: new Date().toISOString().slice(0, 10) });
      st.requests = st.requests.slice(0, MAX);
      save(st);
    }
  }

  // "Segui" on an association's or a category's page.
  Array.prototype.forEach.call(document.querySelectorAll("p.follow[data-follow]"), function (p) {
    if (!store) return;
    var kind = p.getAttribute("data-follow"), id = p.getAttribute("data-id"), name = p.getAttribute("data-name");
    var button = p.querySelector("button"), on = p.querySelector("[data-following]");
    var show = function () {
      var following = load().follow.some(function (f) { return f.kind === kind && f.id === id; });
      button.setAttribute("aria-pressed", following ? "true" : "false");
      on.hidden = !following;
    };
    button.addEventListener("click", function () {
      var s = load();
      var was = s.follow.some(function (f) { return f.kind === kind && f.id === id; });
      s.follow = s.follow.filter(function (f) { return !(f.kind === kind && f.id === id); });
      if (!was && s.follow.filter(function (f) { return f.kind === kind; }).length < MAX) {
        s.follow.push({ kind: kind, id: id, name: text(name) });
      }
      save(s);
      show();
    });
    p.hidden = false;
    show();
  });

  // The area itself.
  var area = document.getElementById("area");
  if (!area) return;
  if (!store) {
    document.getElementById("area-unavailable").hidden = false;
    return;
  }
  var t = function (name) { return area.getAttribute("data-" + name) || ""; };
  area.hidden = false;

  function fill(name, items) {
    var target = document.getElementById("area-" + name);
    target.textContent = "";
    items.forEach(function (i) { target.appendChild(i); });
    target.hidden = items.length === 0;
    area.querySelector("[data-empty=" + name + "]").hidden = items.length > 0;
  }

  function removeButton(label, what) {
    var b = el("button", { type: "button", "aria-label": label + ": " + what }, [label]);
    return el("span", { "class": "area-actions" }, [b]);
  }

  // Statuses are asked one after the other, as a person would open them, never all at once.
  var asking = Promise.resolve();

  function showStatus(r, out) {
    if (!r.key) {
      out.textContent = t("status-no-key");
      return;
    }
    out.textContent = t("status-loading");
    asking = asking.then(function () { return askStatus(r, out); });
  }

  function askStatus(r, out) {
    return fetch(statusURL(r), { headers: { Accept: "application/json" }, credentials: "omit", cache: "no-store" })
      .then(function (res) {
        // Only the status page's own answer says the pair is unknown; any other 404 is a page missing.
        var json = /^application\/json/.test(res.headers.get("Content-Type") || "");
        if (res.status === 404 && json) { out.textContent = t("status-not-found"); return null; }
        if (!json) throw new Error("not the status page");
        if (!res.ok) throw new Error(String(res.status));
        return res.json();
      })
      .then(function (st) {
        if (!st) return;
        var label = t("status-" + String(st.status).replace(/[^a-z-]/g, ""));
        if (!label) throw new Error("status");
        var last = Array.isArray(st.steps) && st.steps.length ? st.steps[st.steps.length - 1] : null;
        out.textContent = label + (last && /^\d{4}-\d{2}-\d{2}$/.test(last.date) ? " (" + last.date.split("-").reverse().join("/") + ")" : "");
      })
      .catch(function () { out.textContent = t("status-unknown"); });
  }

  function render() {
    var s = load();
    var data = [];
    if (s.data) {
      FIELDS.forEach(function (f) {
        if (s.data[f]) data.push(el("dt", {}, [t("field-" + f)]), el("dd", {}, [text(s.data[f])]));
      });
      if (PREFS.indexOf(s.data.contact_preference) >= 0) {
        data.push(el("dt", {}, [t("field-pref")]), el("dd", {}, [t("pref-" + s.data.contact_preference)]));
      }
    }
    fill("data", data);

    fill("requests", s.requests.map(function (r) {
      var status = el("span", {}, []);
      var remove = removeButton(t("remove"), r.code);
      remove.firstChild.addEventListener("click", function () {
        var st = load();
        st.requests = st.requests.filter(function (x) { return x.code !== r.code; });
        save(st);
        render();
      });
      var li = el("li", { "class": "item" }, [
        el("h3", {}, [el("a", { href: statusURL(r) }, [r.code])]),
        el("p", {}, [status]),
        el("p", { "class": "meta" }, [t("sent-on") + " " + String(r.sent || "").split("-").reverse().join("/")]),
        el("p", {}, [el("a", { href: statusURL(r) }, [t("status-link")]), remove])
      ]);
      showStatus(r, status);
      return li;
    }));

    fill("follow", s.follow.map(function (f) {
      var remove = removeButton(t("unfollow"), f.name || f.id);
      remove.firstChild.addEventListener("click", function () {
        var st = load();
        st.follow = st.follow.filter(function (x) { return !(x.kind === f.kind && x.id === f.id); });
        save(st);
        render();
      });
      return el("li", { "class": "item" }, [el("p", {}, [el("a", { href: "/" + f.kind + "/" + f.id + "/" }, [f.name || f.id]), remove])]);
    }));

    var cal = document.getElementById("area-calendar");
    cal.hidden = s.follow.length === 0;
    if (s.follow.length) calendar(cal, s.follow);
  }

  // One calendar address for everything followed, in the subscribe help the feeds have.
  function calendar(cal, follow) {
    var ids = function (kind) {
      return follow.filter(function (f) { return f.kind === kind; }).map(function (f) { return f.id; }).sort().join(",");
    };
    var parts = [];
    ["associazioni", "categorie"].forEach(function (kind) { if (ids(kind)) parts.push(kind + "=" + ids(kind)); });
    var input = cal.querySelector("input");
    var base = input.getAttribute("data-base") || input.value;
    input.setAttribute("data-base", base);
    var abs = base.split("?")[0] + "?" + parts.join("&");
    var webcal = abs.replace(/^https?:\/\//, "webcal://");
    input.value = abs;
    Array.prototype.forEach.call(cal.querySelectorAll("a[href]"), function (a) {
      var href = a.getAttribute("href");
      if (/^webcal:/.test(href)) {
        a.setAttribute("href", webcal);
      } else if (a.hasAttribute("download")) {
        a.setAttribute("href", "/calendario/?" + parts.join("&"));
      } else if (/^https:/.test(href)) {
        var u = new URL(href);
        if (u.searchParams.has("cid")) u.searchParams.set("cid", webcal);
        if (u.searchParams.has("url")) u.searchParams.set("url", abs);
        a.setAttribute("href", u.toString());
      }
    });
  }

  document.getElementById("area-forget").addEventListener("click", function () {
    store.removeItem(KEY);
    try { window.sessionStorage.removeItem(PENDING); } catch (e) { /* none kept */ }
    render();
    document.getElementById("area-message").textContent = area.getAttribute("data-forgotten") || "";
  });

  render();
})();
