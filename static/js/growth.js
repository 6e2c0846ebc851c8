// Growth pages. A routine's one-tap check-in is sent by htmx and answered with the routine's card;
// a refused check-in (400) carries its message in that card, so it is swapped in too rather than
// dropped, and the note the person typed comes back with it.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.classList.contains("routine")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

// The team charter's suggestions: "Add" copies an idea into its section, on a line of its own.
// Without JavaScript the ideas are plain text to copy, and the buttons stay hidden.
(function () {
  "use strict";
  document.querySelectorAll("[data-suggest-for]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      const field = document.getElementById(button.dataset.suggestFor);
      if (!field) return;
      const text = button.dataset.suggestion;
      field.value = field.value.trim() ? field.value.replace(/\s*$/, "") + "\n" + text : text;
      field.focus();
      const status = document.getElementById("live-status");
      if (status) status.textContent = button.dataset.added || "";
    });
  });
})();
