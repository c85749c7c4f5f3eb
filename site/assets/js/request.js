// Progressive enhancement of the request form: the form works without this script.
(function () {
  var form = document.querySelector("form.request");
  if (!form) return;
  var params = new URLSearchParams(window.location.search);
  var pick = function (name, value) {
    var el = form.elements[name];
    if (!el || !value) return;
    for (var i = 0; i < el.options.length; i++) {
      if (el.options[i].value === value) { el.value = value; return; }
    }
  };
  pick("service", params.get("servizio"));
  // A service knows its category: spare the citizen the question.
  var chosen = form.elements.service && form.elements.service.selectedOptions[0];
  if (chosen && chosen.dataset.categoria && !params.get("categoria")) pick("category", chosen.dataset.categoria);
  pick("association", params.get("associazione") || (params.get("servizio") || "").split("/")[0]);
  pick("category", params.get("categoria"));
  if (params.get("tipo") === "segnalazione") {
    var r = document.getElementById("f-kind-segnalazione");
    if (r) r.checked = true;
  }
  if (!form.elements.started_at.value) form.elements.started_at.value = new Date().toISOString();
  if (!form.elements.idempotency_key.value && window.crypto && crypto.randomUUID) {
    form.elements.idempotency_key.value = crypto.randomUUID();
  }
  var summary = document.getElementById("errori");
  if (summary) summary.focus();
})();
