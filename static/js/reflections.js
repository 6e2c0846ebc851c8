// The journal's forms (reflections app).
// 1. Drafts: what a person types is saved on the server as they type (a second after they
//    pause), and once more when they leave the page or hide the tab, so a closed tab, a lost
//    connection or a refused form loses nothing. Each form names its place (data-draft-key);
//    all its text fields travel together as one JSON object.
// 2. "Who can see this": the summary under the choices follows the choice as it changes.
// The pages work without this script: forms post as usual, a refused form shows the text
// back, and every choice already says who would see the entry.
(function () {
  "use strict";
  const DELAY = 1000;
  const FIELDS = "textarea[name], input[type=text][name], input[type=datetime-local][name]";

  document.querySelectorAll("form[data-journal-draft-url]").forEach(function (form) {
    const token = form.querySelector("input[name=csrfmiddlewaretoken]");
    const status = form.querySelector("[data-draft-status]");
    if (!token) return;
    const boxes = Array.prototype.slice.call(form.querySelectorAll(FIELDS));
    if (!boxes.length) return;
    let timer = null;

    function snapshot() {
      const fields = {};
      boxes.forEach(function (box) { fields[box.name] = box.value; });
      return JSON.stringify(fields);
    }
    let sent = snapshot();

    function payload(value) {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token.value);
      data.append("key", form.dataset.draftKey || "");
      data.append("payload", value);
      return data;
    }

    function save() {
      timer = null;
      const value = snapshot();
      if (value === sent) return;
      fetch(form.dataset.journalDraftUrl, {
        method: "POST",
        body: payload(value),
        credentials: "same-origin",
        headers: { "X-CSRFToken": token.value },
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        sent = value;
        if (status) status.textContent = "Draft saved. Only you can see it.";
      }).catch(function () {
        if (status) status.textContent = "Not saved yet: we will try again as you type.";
      });
    }

    boxes.forEach(function (box) {
      box.addEventListener("input", function () {
        if (timer) window.clearTimeout(timer);
        timer = window.setTimeout(save, DELAY);
      });
    });

    function flush() {
      const value = snapshot();
      if (value === sent || !navigator.sendBeacon) return;
      if (navigator.sendBeacon(form.dataset.journalDraftUrl, payload(value))) sent = value;
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flush();
    });
    window.addEventListener("pagehide", flush);
    form.addEventListener("submit", function () {
      if (timer) window.clearTimeout(timer);
      sent = snapshot(); // the form itself carries the text; the server clears the draft
    });
  });

  document.querySelectorAll("[data-audience-choice]").forEach(function (group) {
    const summary = group.querySelector("[data-audience-summary] span");
    if (!summary) return;
    group.addEventListener("change", function (event) {
      const input = event.target;
      if (input && input.name === "visibility" && input.checked) {
        summary.textContent = input.dataset.audience || "";
      }
    });
  });
})();
