// Drafts for the discussion forms: what a person types is saved on the server as they type
// (a second after they pause), and once more when they leave the page or hide the tab, so a
// closed tab, a lost connection or a refused post loses nothing. The page works without this
// script: the form posts as usual, and a refused post shows the text back.
//
// The page has one reply form. Without this script each post's "Reply to …" link opens the
// page with the form under that post (?reply=<post>#reply-form). With it, the link moves the
// same form under the post, fills in the person's draft for that post, and puts the focus in
// the box; "Cancel" (or Escape in the box) puts the form away and the focus back on the link.
(function () {
  "use strict";
  const DELAY = 1000;

  // Draft saving for one form; returns what the reply mover needs: save now, start afresh.
  function drafts(form) {
    const box = form.querySelector("textarea[name=body]");
    const status = form.querySelector("[data-draft-status]");
    const token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!box || !token) return null;
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
    return {
      box: box,
      // Keep what was typed for the current place before the form changes place.
      saveNow: function () {
        if (timer) window.clearTimeout(timer);
        save();
      },
      // The form now answers another post: its text is that post's draft.
      restart: function (key, text) {
        form.dataset.draftKey = key;
        box.value = text;
        sent = text;
        if (status) status.textContent = "";
      },
    };
  }

  let replyDrafts = null;
  document.querySelectorAll("form[data-draft-url]").forEach(function (form) {
    const control = drafts(form);
    if (control && form.id === "reply-form") replyDrafts = control;
  });

  const form = document.getElementById("reply-form");
  const home = document.getElementById("reply-home");
  if (!form || !replyDrafts) return;
  const parent = form.querySelector("input[name=parent]");
  const name = form.querySelector("[data-reply-name]");
  const cancel = form.querySelector("[data-reply-cancel]");
  const saved = document.getElementById("reply-drafts");
  const unsent = saved ? JSON.parse(saved.textContent || "{}") : {};
  let current = null; // the link whose post the form answers

  function keyOf(link) {
    return new URL(link.href, window.location.href).searchParams.get("reply") || "";
  }

  function authorOf(key) {
    const heading = document.getElementById("post-" + key + "-by");
    return heading ? heading.textContent.trim() : "";
  }

  function open(link) {
    const key = keyOf(link);
    if (current === link) { replyDrafts.box.focus(); return; }
    if (current) {
      replyDrafts.saveNow();
      unsent[parent.value] = replyDrafts.box.value;
      current.setAttribute("aria-expanded", "false");
    }
    parent.value = key;
    replyDrafts.restart(key, unsent[key] || "");
    if (name) name.textContent = " " + (name.dataset.pattern || "to %(name)s").replace("%(name)s", authorOf(key));
    if (cancel) {
      const back = new URL(link.href, window.location.href);
      back.searchParams.delete("reply");
      back.hash = "post-" + key;
      cancel.href = back.pathname + back.search + back.hash;
    }
    link.closest("p").after(form);
    link.setAttribute("aria-expanded", "true");
    current = link;
    replyDrafts.box.focus();
  }

  function close() {
    if (!current) return;
    replyDrafts.saveNow();
    unsent[parent.value] = replyDrafts.box.value;
    const link = current;
    link.setAttribute("aria-expanded", "false");
    current = null;
    if (home) home.append(form);
    else form.hidden = true;
    link.focus();
  }

  document.querySelectorAll("a.reply-link").forEach(function (link) {
    link.setAttribute("aria-controls", "reply-form");
    link.setAttribute("aria-expanded", "false");
    // Rendered in place (a refused reply, or ?reply=): that post's link owns the form.
    if (!form.closest("#reply-home") && keyOf(link) === parent.value) {
      link.setAttribute("aria-expanded", "true");
      current = link;
    }
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      open(link);
    });
  });
  if (cancel) {
    cancel.addEventListener("click", function (event) {
      if (!current) return; // nothing to put away: follow the link
      event.preventDefault();
      close();
    });
  }
  form.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current && !event.defaultPrevented) close();
  });
})();
