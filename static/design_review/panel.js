// The design review's panel in the studio's activity form: fetches the activity's review page
// (same origin, same session) and shows its panel in place. The decision forms inside post to
// the review's own URLs and come back here (their `next`). Without script, the link remains.
(function () {
  "use strict";
  function load() {
    var link = document.querySelector("a[data-review-panel]");
    var target = document.getElementById("design-review-panel");
    if (!link || !target) return;
    fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var panel = doc.getElementById("review-panel");
        if (!panel) return;
        var heading = panel.querySelector("h1");
        if (heading) heading.remove(); // the section's own h2 names it
        panel.querySelectorAll("h2").forEach(function (h) {
          var h3 = document.createElement("h3");
          h3.id = h.id;
          h3.className = h.className;
          h3.innerHTML = h.innerHTML;
          h.replaceWith(h3);
        });
        target.replaceChildren(document.importNode(panel, true));
      })
      .catch(function () { /* the link stays: the review opens on its own page */ });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load);
  else load();
})();
