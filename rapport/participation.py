"""Pages for the people who take part in programmes, and the answer a sponsor gets there.

A programme sponsor (`Role.SPONSOR`) funds and champions a programme: her pages are her home
(the programme dashboards), her notifications and her account (docs/permissions.md). The
personal pages of the product — My growth, the journal, Sessions, Messages, Assessments, My
coach, the experts' threads, My reports — are for the people who learn, coach, build, run or
answer in programmes; a sponsor opening one gets a 403 page that says whose page it is and
where hers are, the same kind of answer a person without a learner seat gets on a learner's
form (`reflections:new`), never a page of her own empty data.

A seat is not a role (docs/permissions.md): a sponsor an admin seats in a cohort (as a
learner, say) takes part like anyone seated, and has these pages. Roles are named, never
"anyone but a sponsor", so a role added later has none of these pages until it is named in
PARTICIPANT_ROLES or seated. Only this decides here: what each page then shows is its own
`visible_to` rules, unchanged.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _

from rapport import policy
from rapport.policy import Role

PARTICIPANT_ROLES = frozenset({Role.LEARNER, Role.COACH, Role.DESIGNER, Role.ADMIN, Role.EXPERT})


def takes_part(user: Any) -> bool:
    """Whether the person has the personal pages: a member whose role is one of
    PARTICIPANT_ROLES, or who holds a seat in a cohort of their organisation (one query, for
    the other roles only). People without a membership (platform superusers, anonymous
    people) are left to each page's own rules (True here)."""
    role = policy.role_of(user)
    if role is None or role in PARTICIPANT_ROLES:
        return True
    from cohorts.models import Enrollment

    membership = policy.membership_of(user)
    return Enrollment.objects.filter(
        user=user,
        organization_id=membership.organization_id,  # type: ignore[union-attr]
    ).exists()


def not_for_you(request: HttpRequest) -> HttpResponse:
    """The 403 page a sponsor gets on a participant's page: whose page it is, where hers are."""
    return render(
        request,
        "error.html",
        {
            "status": 403,
            "title": _("This page is for the people taking part in a programme"),
            "message": _(
                "It holds a participant's own growth, journal, sessions and messages, and you "
                "hold no seat in a cohort. As a programme sponsor, your pages are your home "
                "(the programmes' dashboards), your notifications and your settings."
            ),
        },
        status=403,
    )


def participants_only[V: Callable[..., HttpResponse]](view: V) -> V:
    """Wrap a view so that people whose role does not take part (`takes_part`) get
    `not_for_you` before the view runs (so nothing is loaded or changed for them)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not takes_part(request.user):
            return not_for_you(request)
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def participants_only_urls(
    patterns: list[URLPattern | URLResolver],
) -> list[URLPattern | URLResolver]:
    """`participants_only` on every view of a URL module, so a page added to it later is
    covered too. Returns the patterns (changed in place)."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = participants_only(pattern.callback)
    return patterns
