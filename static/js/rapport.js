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

// The main navigation folds behind a "Menu" button (the WAI-ARIA disclosure pattern: a button
// with aria-expanded controlling the list) on a phone, and on any wider screen where the list does
// not fit on the brand's row — a learner's fourteen destinations wrapped into three rows at 1024
// px. Whether it fits is measured, not guessed from the width, so a longer translation or a wider
// font folds it too. Escape closes it and returns focus to the button. Browsers without
// JavaScript show the whole list.
(function () {
  "use strict";
  const nav = document.querySelector(".site-nav");
  const toggle = nav && nav.querySelector(".site-nav__toggle");
  const list = nav && document.getElementById("site-nav-list");
  const brand = document.querySelector(".site-header .brand");
  if (!nav || !toggle || !list) return;
  const narrow = window.matchMedia("(max-width: 719px)");
  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    list.hidden = !open;
    nav.classList.toggle("site-nav--open", open);
  }
  // Whether the unfolded list leaves the brand's row: an item whose box does not cross the
  // brand's middle line sits on another row.
  function overflows() {
    if (!brand || !list.children.length) return false;
    const box = brand.getBoundingClientRect();
    const middle = box.top + box.height / 2;
    return Array.prototype.some.call(list.children, function (item) {
      const r = item.getBoundingClientRect();
      return r.top > middle || r.bottom < middle;
    });
  }
  let folded = null;
  function apply() {
    let fold = narrow.matches;
    if (!fold) {
      nav.classList.remove("site-nav--folded", "site-nav--open");
      list.hidden = false;
      toggle.hidden = true;
      fold = overflows();
    }
    if (fold === folded && !fold) return;
    nav.classList.toggle("site-nav--folded", fold);
    toggle.hidden = !fold;
    if (fold) setOpen(fold === folded && toggle.getAttribute("aria-expanded") === "true");
    else { list.hidden = false; nav.classList.remove("site-nav--open"); }
    folded = fold;
  }
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && folded && !list.hidden) {
      setOpen(false);
      toggle.focus();
    }
  });
  let pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; apply(); });
  });
  apply();
  // Web fonts arriving late change the list's width.
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(apply);
  // The unread count travels with the button while the list is folded.
  const badge = document.getElementById("notification-badge");
  const copy = toggle.querySelector("[data-nav-badge]");
  if (badge && copy) {
    const mirror = function () {
      copy.replaceChildren(...Array.from(badge.childNodes, function (node) { return node.cloneNode(true); }));
    };
    new MutationObserver(mirror).observe(badge, { childList: true, subtree: true, characterData: true });
    mirror();
  }
})();
