// The design review's panel in the studio's activity form. It posts the form's current title,
// summary, body and kind to the review's preview (600 ms after typing stops, and once on load)
// and shows the panel it answers in place; a one-line summary goes to a polite live status, so
// a screen reader hears each update without losing its place, and focus never moves. If focus
// is inside the panel (a dismissal reason being typed), the update waits until it leaves.
// The decision forms inside post to the review's own URLs and come back here (their `next`).
// Without script, the link remains: it opens the review of the saved text.
(function () {
  "use strict";
  var DELAY_MS = 600;
  var FIELDS = ["title", "summary", "body", "kind"];

  function start() {
    var section = document.querySelector("[data-review-preview]");
    var target = document.getElementById("design-review-panel");
    var status = document.getElementById("design-review-status");
    if (!section || !target || !status) return;
    var form = document.getElementById("activity_form");
    if (!form) return;
    var url = section.getAttribute("data-review-preview");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;
    var inFlight = null;
    var pending = null;
    var sent = 0;

    function show(panel) {
      if (target.contains(document.activeElement)) {
        pending = panel; // shown when focus leaves the panel
        return;
      }
      pending = null;
      target.replaceChildren(document.importNode(panel, true));
      status.textContent = panel.getAttribute("data-summary") || "";
    }

    function preview() {
      var data = new FormData();
      FIELDS.forEach(function (name) {
        var input = form.elements.namedItem(name);
        if (input && "value" in input) data.append(name, input.value);
      });
      data.append("next", window.location.pathname);
      if (inFlight) inFlight.abort();
      inFlight = new AbortController();
      var mine = ++sent;
      target.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "", Accept: "text/html" },
        signal: inFlight.signal,
      })
        .then(function (response) {
          // A refusal of the text (400) is a panel too: it says what is wrong.
          if (!response.ok && response.status !== 400) return Promise.reject(response.status);
          return response.text();
        })
        .then(function (html) {
          if (mine !== sent) return; // a newer preview is on its way
          var doc = new DOMParser().parseFromString(html, "text/html");
          var panel = doc.getElementById("review-panel");
          if (panel) show(panel);
          target.removeAttribute("aria-busy");
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          target.removeAttribute("aria-busy");
          // Say so; the link still opens the review of the saved text.
          status.textContent = section.getAttribute("data-review-failed") || "";
        });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(preview, DELAY_MS);
    }

    // The summary sits under the body, where the designer types, with a link to the panel.
    var bodyInput = form.elements.namedItem("body");
    if (bodyInput && bodyInput.parentNode) {
      var near = document.createElement("div");
      near.className = "design-review-studio__near";
      var jump = document.createElement("a");
      jump.href = "#design-review-heading";
      jump.textContent = section.getAttribute("data-review-jump") || "";
      near.appendChild(status);
      near.appendChild(jump);
      bodyInput.insertAdjacentElement("afterend", near);
    }

    FIELDS.forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (!input || !input.addEventListener) return;
      input.addEventListener(name === "kind" ? "change" : "input", later);
    });
    target.addEventListener("focusout", function (event) {
      if (pending && !target.contains(event.relatedTarget)) show(pending);
    });
    preview();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
