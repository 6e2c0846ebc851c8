// Drafts for the discussion forms: what a person types is saved on the server as they type
// (a second after they pause), and once more when they leave the page or hide the tab, so a
// closed tab, a lost connection or a refused post loses nothing. The page works without this
// script: the form posts as usual, and a refused post shows the text back.
(function () {
  "use strict";
  const DELAY = 1000;
  document.querySelectorAll("form[data-draft-url]").forEach(function (form) {
    const box = form.querySelector("textarea[name=body]");
    const status = form.querySelector("[data-draft-status]");
    const token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!box || !token) return;
    let timer = null;
    let sent = box.value;

    function payload() {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token.value);
      data.append("key", form.dataset.draftKey || "");
      data.append("body", box.value);
      return data;
    }

    function save() {
      timer = null;
      if (box.value === sent) return;
      const value = box.value;
      fetch(form.dataset.draftUrl, {
        method: "POST",
        body: payload(),
        credentials: "same-origin",
        headers: { "X-CSRFToken": token.value },
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        sent = value;
        if (status) status.textContent = value.trim() ? "Draft saved." : "";
      }).catch(function () {
        if (status) status.textContent = "Not saved yet: we will try again as you type.";
      });
    }

    box.addEventListener("input", function () {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(save, DELAY);
    });

    function flush() {
      if (box.value === sent || !navigator.sendBeacon) return;
      if (navigator.sendBeacon(form.dataset.draftUrl, payload())) sent = box.value;
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flush();
    });
    window.addEventListener("pagehide", flush);
    form.addEventListener("submit", function () {
      if (timer) window.clearTimeout(timer);
      sent = box.value; // the post itself carries the text; the server clears the draft
    });
  });
})();
