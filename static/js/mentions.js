// Mention suggestions for the post, reply and edit boxes: typing "@" offers the people who can
// read the thread (asked of the textarea's data-mention-url), and choosing one writes
// "@[Full Name] " in place of what was typed.
//
// The keyboard and screen-reader model is the ARIA 1.2 combobox pattern with a listbox popup
// (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). HTML allows no role on a textarea, so
// the box keeps its own textbox role and carries the properties ARIA 1.2 gives a textbox for
// this: aria-autocomplete="list", aria-controls (the listbox) and aria-activedescendant (the
// option under the cursor). A polite status says how many people were found and how to choose.
// Keys while the list is open: Down/Up move, Enter or Tab choose, Escape closes; focus never
// leaves the box. Without this script nothing is lost: people type @[Full Name] by hand.
(function () {
  "use strict";
  const DELAY = 150;
  // "@" at the start or after a space or bracket, then up to 40 characters of a name.
  const TYPING = /(^|[\s(])@\[?([^\[\]\n@<>]{0,40})$/;
  let count = 0;

  document.querySelectorAll("textarea[data-mention-url]").forEach(function (box) {
    count += 1;
    const id = (box.id || "mention-box-" + count) + "-people";
    const list = document.createElement("ul");
    list.id = id;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People who can read this discussion");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", id);

    let timer = null;
    let asked = 0; // the answer to an older question is dropped
    let start = -1; // where the "@" being completed is
    let active = -1;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      list.replaceChildren();
      box.removeAttribute("aria-activedescendant");
      active = -1;
      start = -1;
    }

    function highlight(index) {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      box.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      const name = option.dataset.name;
      const caret = box.selectionStart;
      const before = box.value.slice(0, start);
      const after = box.value.slice(caret).replace(/^[^\s\]]*\]?/, "");
      const inserted = "@[" + name + "] ";
      box.value = before + inserted + after;
      const at = before.length + inserted.length;
      box.setSelectionRange(at, at);
      close();
      status.textContent = name + " will be mentioned.";
      box.dispatchEvent(new Event("input", { bubbles: true })); // the draft keeps it
      box.focus();
    }

    function show(names) {
      list.replaceChildren();
      names.forEach(function (name, i) {
        const option = document.createElement("li");
        option.id = id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "mention-list__option";
        option.dataset.name = name;
        option.textContent = name; // names are text, never markup
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus (and the caret) in the box
        });
        option.addEventListener("click", function () {
          choose(option);
        });
        list.appendChild(option);
      });
      if (!names.length) {
        list.hidden = true;
        box.removeAttribute("aria-activedescendant");
        active = -1;
        status.textContent = "Nobody who can read this discussion has that name.";
        return;
      }
      list.hidden = false;
      highlight(0);
      status.textContent =
        (names.length === 1 ? "1 person" : names.length + " people") +
        " found. Up and down arrows to move, Enter to choose, Escape to close.";
    }

    function ask() {
      timer = null;
      const match = TYPING.exec(box.value.slice(0, box.selectionStart));
      if (!match) {
        close();
        return;
      }
      start = box.selectionStart - match[0].length + match[1].length;
      const question = ++asked;
      const url = new URL(box.dataset.mentionUrl, window.location.href);
      url.searchParams.set("q", match[2].trim());
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          if (question === asked && start >= 0) show(data.people || []);
        })
        .catch(function () {
          if (question === asked) close();
        });
    }

    box.addEventListener("input", function () {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });

    box.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(options()[active]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
        status.textContent = "";
      }
    });

    box.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
  });
})();
