// Remembers where a learner is in a video or podcast, so they can resume on any device.
// Sends the position when playback starts or pauses, every 15 s while playing, and when the
// page is hidden (sendBeacon survives the tab closing). Reaching the end marks it done.
(function () {
  "use strict";
  const player = document.getElementById("media-player");
  if (!player || !player.dataset.positionUrl) return;
  const url = player.dataset.positionUrl;
  const resumeAt = parseFloat(player.dataset.resumePosition || "0");
  // The CSRF cookie is HttpOnly: the token comes from the page, as htmx gets it (base.html).
  let csrfToken = "";
  try {
    csrfToken = JSON.parse(document.body.dataset.hxHeaders || "{}")["X-CSRFToken"] || "";
  } catch (error) { /* no token: the server answers 403 and nothing is saved */ }
  let lastSent = -1;

  function payload(event) {
    const body = new FormData();
    body.append("position", player.currentTime.toFixed(1));
    body.append("event", event);
    // The media's length, for the xAPI video profile's progress and length (events/xapi.py).
    if (isFinite(player.duration) && player.duration > 0) {
      body.append("length", player.duration.toFixed(1));
    }
    body.append("csrfmiddlewaretoken", csrfToken);
    return body;
  }

  function send(event) {
    if (Math.abs(player.currentTime - lastSent) < 0.5 && event === "progress") return;
    lastSent = player.currentTime;
    return fetch(url, {
      method: "POST",
      body: payload(event),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken },
    }).catch(function () { /* offline: the next update carries the position */ });
  }

  // The server has marked it done; refresh the page's own "Mark as done" control through its
  // form (htmx swaps the fragment and announces the change), so the page says so too.
  function showDone(response) {
    if (!response || !response.ok) return;
    const button = document.querySelector("#completion [data-testid=complete-button]");
    if (button && button.form) button.form.requestSubmit();
  }

  function resume() {
    // Start a few seconds back, so the learner hears the end of the last sentence again.
    if (resumeAt > 1 && (!player.duration || resumeAt < player.duration - 2)) {
      player.currentTime = Math.max(resumeAt - 3, 0);
    }
  }

  if (player.readyState >= 1) resume();
  else player.addEventListener("loadedmetadata", resume, { once: true });

  let timer = null;
  player.addEventListener("play", function () {
    send("play");
    timer = window.setInterval(function () { send("progress"); }, 15000);
  });
  player.addEventListener("pause", function () {
    window.clearInterval(timer);
    send("pause");
  });
  // Playing to the end marks the video or podcast done (the server records the completion).
  player.addEventListener("ended", function () {
    window.clearInterval(timer);
    const sent = send("ended");
    if (sent) sent.then(showDone);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !player.paused && navigator.sendBeacon) {
      navigator.sendBeacon(url, payload("progress"));
    }
  });
})();
