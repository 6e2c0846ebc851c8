// The readiness check (templates/coaching/readiness.html): a camera preview, a microphone level
// meter and a connection check against the same-origin probe (coaching:readiness_probe). No
// media leaves the browser: the stream is shown locally and stopped when the page is left.
(function () {
  "use strict";
  const root = document.getElementById("readiness");
  if (!root) return;
  const video = document.getElementById("readiness-video");
  const meter = document.getElementById("readiness-level");
  const cameraResult = document.getElementById("readiness-camera");
  const micResult = document.getElementById("readiness-microphone");
  const connectionResult = document.getElementById("readiness-connection");
  let stream = null;
  let audioContext = null;

  function say(element, text, state) {
    element.textContent = text;
    element.dataset.state = state;
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    if (audioContext) audioContext.close();
    stream = null;
    audioContext = null;
  }
  window.addEventListener("pagehide", stop);

  function listen(audioStream) {
    const AudioContextClass = window.AudioContext || window.webkitAudioContext;
    if (!AudioContextClass) {
      say(micResult, "Microphone found, but this browser cannot show its level.", "warning");
      return;
    }
    audioContext = new AudioContextClass();
    const analyser = audioContext.createAnalyser();
    analyser.fftSize = 512;
    audioContext.createMediaStreamSource(audioStream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    let heard = false;
    function tick() {
      if (!audioContext) return;
      analyser.getByteTimeDomainData(samples);
      let sum = 0;
      for (let i = 0; i < samples.length; i++) {
        const centred = (samples[i] - 128) / 128;
        sum += centred * centred;
      }
      const level = Math.min(100, Math.round(Math.sqrt(sum / samples.length) * 300));
      meter.value = level;
      meter.textContent = String(level);
      if (level > 2 && !heard) {
        heard = true;
        say(micResult, "Microphone: working — we can hear you.", "ok");
      }
      window.requestAnimationFrame(tick);
    }
    tick();
    window.setTimeout(function () {
      if (!heard) say(micResult, "Microphone: found, but silent. Check it is not muted, then speak.", "warning");
    }, 4000);
  }

  async function testMedia() {
    stop();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(cameraResult, "This browser cannot use a camera here. Try a current Chrome, Edge, Firefox or Safari.", "error");
      say(micResult, "This browser cannot use a microphone here.", "error");
      return;
    }
    say(cameraResult, "Asking for your camera…", "pending");
    say(micResult, "Asking for your microphone…", "pending");
    let audioStream = null;
    try {
      audioStream = await navigator.mediaDevices.getUserMedia({ audio: true });
      stream = audioStream;
      say(micResult, "Microphone: found. Say a few words.", "pending");
      listen(audioStream);
    } catch (error) {
      say(micResult, error && error.name === "NotAllowedError"
        ? "Microphone: not allowed. Allow it in your browser's address bar, then test again."
        : "Microphone: none found. Plug one in or use a headset, then test again.", "error");
    }
    try {
      const videoStream = await navigator.mediaDevices.getUserMedia({ video: true });
      videoStream.getTracks().forEach(function (track) {
        if (stream) stream.addTrack(track); else stream = videoStream;
      });
      video.srcObject = videoStream;
      await video.play().catch(function () { return null; });
      const settings = videoStream.getVideoTracks()[0].getSettings();
      const size = settings.width && settings.height ? " (" + settings.width + "×" + settings.height + ")" : "";
      say(cameraResult, "Camera: working" + size + ". This is what your coach will see.", "ok");
    } catch (error) {
      say(cameraResult, error && error.name === "NotAllowedError"
        ? "Camera: not allowed. Allow it in your browser's address bar, then test again."
        : "Camera: none found. You can still join by voice; say so at the start, as video helps you connect.", "error");
    }
  }

  async function timed(url) {
    const started = performance.now();
    const response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const body = await response.arrayBuffer();
    return { ms: performance.now() - started, bytes: body.byteLength };
  }

  async function testConnection() {
    const url = root.dataset.probeUrl;
    say(connectionResult, "Testing your connection…", "pending");
    try {
      const pings = [];
      for (let i = 0; i < 3; i++) pings.push((await timed(url + "?size=small&n=" + i)).ms);
      const latency = Math.round(Math.min.apply(null, pings));
      const download = await timed(url + "?n=" + Date.now());
      const mbps = (download.bytes * 8) / (Math.max(download.ms, 1) / 1000) / 1e6;
      const speed = mbps >= 10 ? Math.round(mbps) : Math.round(mbps * 10) / 10;
      const verdict = latency < 300 && mbps >= 1.5
        ? "Your connection holds for video."
        : "Your connection may struggle with video: close other calls and downloads, or move nearer your router.";
      say(connectionResult, "Connection: " + latency + " ms to answer, about " + speed + " Mbit/s down. " + verdict,
        latency < 300 && mbps >= 1.5 ? "ok" : "warning");
    } catch (error) {
      say(connectionResult, "Connection: Rapport could not be reached. Check you are online, then test again.", "error");
    }
  }

  document.getElementById("readiness-start").addEventListener("click", testMedia);
  document.getElementById("readiness-connection-start").addEventListener("click", testConnection);
})();
