// After htmx swaps a fragment in, keep keyboard focus where the person was and say what changed.
// A fragment rendered for htmx may carry data-announce="…" (read out through the page's polite
// live region, #live-status in base.html) and mark the control that should take focus with
// data-focus-after-swap, so a keyboard or screen-reader user never falls back to the page top.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    const swapped = document.querySelector("[data-announce]");
    if (!swapped) return;
    const message = swapped.dataset.announce;
    swapped.removeAttribute("data-announce");
    const status = document.getElementById("live-status");
    if (status) {
      // Emptied first, so the same words twice in a row are announced twice.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
    const lostFocus = !document.activeElement || document.activeElement === document.body;
    const control = swapped.querySelector("[data-focus-after-swap]");
    if (control && lostFocus) control.focus();
  });
})();

// A long <select data-filter="Label"> (the time-zone picker) gets a search box above it that hides
// the options not matching what is typed. Without JavaScript the grouped select works alone.
(function () {
  "use strict";
  function normalise(text) { return text.toLowerCase().replace(/[_/]+/g, " "); }
  document.querySelectorAll("select[data-filter]").forEach(function (select, index) {
    const input = document.createElement("input");
    input.type = "search";
    input.id = "filter-" + (select.id || index);
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = select.dataset.filter;
    const wrapper = document.createElement("div");
    wrapper.className = "select-filter";
    wrapper.append(label, input);
    select.before(wrapper);
    input.addEventListener("input", function () {
      const words = normalise(input.value).split(" ").filter(Boolean);
      select.querySelectorAll("option").forEach(function (option) {
        const haystack = normalise(option.value + " " + option.textContent);
        option.hidden = !words.every(function (word) { return haystack.includes(word); });
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
    });
  });
})();
