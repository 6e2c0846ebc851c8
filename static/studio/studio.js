// The programme studio's script for every page (templates/django/admin/base_site.html).
//
// Names for the autocomplete boxes. Django's admin draws them with select2, which shows assistive
// technology a combobox named only by its current value and, inside it, a read-only "textbox"
// with no name at all: the combobox is named by the field's label and its value instead.
"use strict";
{
    const nameAutocompletes = (root) => {
        for (const select of root.querySelectorAll("select.admin-autocomplete")) {
            const box = select.nextElementSibling;
            if (!box || !box.classList.contains("select2") || !select.id) {
                continue;
            }
            const combobox = box.querySelector(".select2-selection");
            const rendered = box.querySelector(".select2-selection__rendered");
            const label = document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
            if (!combobox || !rendered || !label) {
                continue;
            }
            label.id = label.id || `${select.id}_label`;
            combobox.setAttribute("aria-labelledby", `${label.id} ${rendered.id}`);
            rendered.removeAttribute("role");
            rendered.removeAttribute("aria-readonly");
        }
    };

    // select2 is set up by a jQuery ready handler (which jQuery runs asynchronously, after the
    // others registered before it: this one is registered later) and on each inline row added.
    if (window.django && window.django.jQuery) {
        window.django.jQuery(() => nameAutocompletes(document));
    }
    document.addEventListener("formset:added", (event) => {
        setTimeout(() => nameAutocompletes(event.target), 0);
    });
}
