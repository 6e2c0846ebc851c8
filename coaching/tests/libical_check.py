"""Check an iCalendar text with Debian's libical (not a parser of ours): read from stdin, print
JSON {"parsed", "itip_ok", "errors", "method"}. Run by /usr/bin/python3, whose python3-gi and
gir1.2-ical-3.0 give `ICalGLib`; `restriction_check` applies RFC 5546's tables for the
message's METHOD and leaves X-LIC-ERROR properties where the text breaks a rule."""

import json
import sys

import gi  # type: ignore[import-not-found]  # Debian's python3-gi, not in the venv

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # type: ignore[import-not-found]  # noqa: E402


def _errors(component) -> list[str]:  # type: ignore[no-untyped-def]
    found = []
    kind = ICalGLib.PropertyKind.XLICERROR_PROPERTY
    prop = component.get_first_property(kind)
    while prop is not None:
        found.append(prop.as_ical_string().strip())
        prop = component.get_next_property(kind)
    child = component.get_first_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    while child is not None:
        found.extend(_errors(child))
        child = component.get_next_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    return found


def main() -> None:
    component = ICalGLib.Component.new_from_string(sys.stdin.read())
    if component is None:
        print(json.dumps({"parsed": False, "itip_ok": False, "errors": [], "method": ""}))
        return
    itip_ok = bool(ICalGLib.restriction_check(component))
    method = component.get_method().value_nick.upper()
    print(
        json.dumps(
            {"parsed": True, "itip_ok": itip_ok, "errors": _errors(component), "method": method}
        )
    )


if __name__ == "__main__":
    main()
