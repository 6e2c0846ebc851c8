// Keeps each studio date-time field's zone note right for the date being typed: the offset from
// UTC that applies in the person's zone on that date (rapport/studio.py, ZonedSplitDateTime).
// The server wrote the same note for the value the page was loaded with; this only follows edits.
"use strict";
{
    const pad = (n) => String(n).padStart(2, "0");

    // Minutes east of UTC in `zone` at the instant `utcMillis`.
    const offsetAt = (zone, utcMillis) => {
        const parts = {};
        const format = new Intl.DateTimeFormat("en-US", {
            timeZone: zone,
            hourCycle: "h23",
            year: "numeric",
            month: "numeric",
            day: "numeric",
            hour: "numeric",
            minute: "numeric",
        });
        for (const part of format.formatToParts(new Date(utcMillis))) {
            parts[part.type] = Number(part.value);
        }
        const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
        return Math.round((wall - utcMillis) / 60000);
    };

    // The offset in force at a wall-clock time in `zone`, as Python's zoneinfo gives it (fold=0):
    // a time the clocks pass twice takes the first (earlier) offset, a time they skip the one
    // before the change. The server refuses both kinds of time anyway.
    const offsetAtWallTime = (zone, year, month, day, hour, minute) => {
        const wall = Date.UTC(year, month - 1, day, hour, minute);
        const before = offsetAt(zone, wall - 86400000);
        const after = offsetAt(zone, wall + 86400000);
        const fits = [before, after].filter((o) => offsetAt(zone, wall - o * 60000) === o);
        return fits.length ? Math.max(...fits) : before;
    };

    const label = (minutes) => {
        const sign = minutes >= 0 ? "+" : "\u2212";
        const abs = Math.abs(minutes);
        return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    };

    const update = (note) => {
        const inputs = note.parentElement.querySelectorAll("p.datetime input");
        if (inputs.length < 2) {
            return;
        }
        const out = note.querySelector(".studio-zone-offset");
        const date = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(inputs[0].value);
        if (!date) {
            out.textContent = note.dataset.undated;
            return;
        }
        const [year, month, day] = date.slice(1).map(Number);
        const clock = /^\s*(\d{1,2}):(\d{2})/.exec(inputs[1].value);
        const [hour, minute] = clock ? clock.slice(1).map(Number) : [12, 0];
        const when = new Date(Date.UTC(year, month - 1, day));
        if (when.getUTCMonth() !== month - 1 || when.getUTCDate() !== day) {
            out.textContent = note.dataset.undated;
            return;
        }
        const lang = document.documentElement.lang || "en-GB";
        const dateText = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang, {
            timeZone: "UTC",
            day: "numeric",
            month: "long",
            year: "numeric",
        }).format(when);
        const offset = label(offsetAtWallTime(note.dataset.studioZone, year, month, day, hour, minute));
        const text = note.dataset.datedPattern
            .replace("%(offset)s", offset)
            .replace("%(date)s", dateText);
        if (out.textContent !== text) {
            out.textContent = text;
        }
    };

    const noteFor = (target) => {
        const box = target.closest && target.closest(".studio-zoned");
        return box ? box.querySelector(".studio-zone") : null;
    };

    // The calendar and clock shortcuts set the value and then focus the input, without an
    // input event: focus is the signal they leave.
    for (const type of ["input", "change", "focusin", "focusout"]) {
        document.addEventListener(type, (event) => {
            const note = noteFor(event.target);
            if (note) {
                update(note);
            }
        });
    }

    // A row added to an inline is a copy of the empty form: give its note the row's id, which
    // its inputs' aria-describedby names.
    document.addEventListener("formset:added", (event) => {
        for (const box of event.target.querySelectorAll(".studio-zoned")) {
            const input = box.querySelector("p.datetime input");
            const note = box.querySelector(".studio-zone");
            if (input && note) {
                const field = input.id.replace(/_0$/, "");
                note.id = `${field}_timezone_warning_helptext`;
                for (const each of box.querySelectorAll("p.datetime input")) {
                    each.setAttribute("aria-describedby", note.id);
                }
            }
        }
    });

    // Django adds its note ("You are 5 hours behind", for today) next to every date and time
    // input whose page has no note of ours. A date or a time alone is in no zone the browser
    // could be behind (rapport/studio.py, StudioDateInput and StudioTimeInput): take it away
    // once Django's shortcuts have added it, on load — after every load handler, whichever
    // script the page loaded first.
    window.addEventListener("load", () => {
        setTimeout(() => {
            for (const note of document.querySelectorAll(".timezonewarning:not(.studio-zone)")) {
                note.remove();
            }
        }, 0);
    });
}
