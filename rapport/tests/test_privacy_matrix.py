"""Adversarial access tests: every persona tries every URL of every app.

The URL list is the whole resolver, walked from the root: product pages, accounts pages, the
studio (the Django admin, with one set of URLs per registered model) and anything added later.
Each URL is classified by what each persona should get (docs/permissions.md); a URL whose
parameters or studio model this test does not know makes it fail with a message saying what to
add, so a new endpoint is covered the day it is added.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from accounts.models import User
from assessments.models import AssessmentRound
from coaching import actions as coaching_actions
from coaching.access import free_slots
from cohorts.actions import set_completed
from cohorts.models import ActivityProgress, Cohort, Enrollment
from events.models import Event
from moderation.actions import block_author, report_post
from moderation.models import ReportReason
from notifications.actions import notify
from notifications.models import Notification, NotificationKind
from organizations.models import Organization
from programs.models import ActivityKind
from rapport.policy import Role
from rapport.testing import PersonaTestCase, make_user, without_noise

ANONYMOUS = "anonymous"
POST_ONLY = {"cohorts:activity_complete", "cohorts:media_position"}
ADMIN_ONLY = {"cohorts:import", "circles:manage"}
# "Circles" in a coach's header: the circles they coach across cohorts; 404 for other roles.
COACH_ONLY = {"circles:mine"}
DISCUSSION_WRITES = {
    "discussions:post",
    "discussions:draft",
    "discussions:delete",
    "discussions:react",
}
# Admin-only forms: an empty POST is refused (400) or sent back with a message (302) for admins.
ADMIN_POSTS = {"circles:form", "circles:move", "circles:publish"}
# Pages of one circle: its members, its coach, the cohort's coaches and admins; 404 for others.
CIRCLE_PAGES = {"circles:detail"}
PRODUCT_APPS = {"cohorts", "programs", "circles"}
# Moderation pages, by who may open them (docs/permissions.md, "Moderation"); the fixture is a
# post of bob's in cohort A's community space, reported by alice, who also blocked him.
MODERATION_STATUS = {
    "moderation:queue": {"carol": {200}, "adam": {200}, "*": {403}},
    "moderation:mine": {"*": {200}},
    "moderation:log": {"adam": {200}, "*": {403}},
    "moderation:report": {p: {200} for p in ("alice", "bob", "carol")} | {"*": {404}},
    "moderation:block": {p: {200} for p in ("alice", "bob", "carol")} | {"*": {404}},
    "moderation:unblock": {"alice": {302}, "*": {404}},
    # The fixture's expert question (alice's, name hidden, in adam's office hours for cohort
    # A; not answered yet): its report form for whoever sees the thread (alice's own is
    # refused only when sent); its answer's form is 404 while there is no written answer.
    "moderation:report_question": {p: {200} for p in ("alice", "bob", "fay", "carol", "adam")}
    | {"*": {404}},
    "moderation:report_answer": {"*": {404}},
    # Bob's journal entry shared with cohort A (its own sample, `shared_entry_sample`): its
    # report form for whoever reads it — the cohort's learners and coach, bob's own refused
    # only when sent — and 404 for everyone else, the admin included (admins read no journal).
    "moderation:report_entry": {p: {200} for p in ("alice", "bob", "fay", "carol")} | {"*": {404}},
    "moderation:report_detail": {"carol": {200}, "adam": {200}, "*": {404}},
    "moderation:hide": {"carol": {400}, "adam": {400}, "*": {404}},
    "moderation:dismiss": {"carol": {302, 400}, "adam": {302, 400}, "*": {404}},
    "moderation:unhide": {"carol": {400}, "adam": {400}, "*": {404}},
}
# Coaching sessions (docs/permissions.md, "Coaching sessions"); the fixture is carol's weekly
# block and day off and a session alice booked with her. An empty POST is a refused form (400).
# Carol goes last: her removals delete the fixture's block and day off.
LEARNERS_OF_CAROL = ("alice", "bob", "fay")
COACHING_STATUS: dict[str, dict[str, set[int]]] = {
    "coaching:sessions": {"*": {200}},
    "coaching:book": {"*": {200}},
    "coaching:book_slot": {p: {400} for p in LEARNERS_OF_CAROL} | {"*": {404}},
    "coaching:session": {"alice": {200}, "carol": {200}, "*": {404}},
    # alice's pass ends by cancelling it, so carol then finds it cancelled: 403, nothing to move.
    "coaching:move": {"alice": {400}, "carol": {403}, "*": {404}},
    "coaching:cancel": {"alice": {302}, "carol": {302}, "*": {404}},
    # The coach's alone; by carol's pass alice has cancelled the session (403 either way).
    "coaching:video_link": {"alice": {403}, "carol": {403}, "*": {404}},
    "coaching:availability": {"carol": {200}, "*": {403}},
    "coaching:add_day_off": {"carol": {400}, "*": {403}},
    "coaching:remove_availability": {"carol": {302}}
    | {p: {403} for p in LEARNERS_OF_CAROL}
    | {"*": {404}},
    "coaching:remove_day_off": {"carol": {302}}
    | {p: {403} for p in LEARNERS_OF_CAROL}
    | {"*": {404}},
    "coaching:readiness": {"*": {200}},
    "coaching:readiness_probe": {"*": {200}},
    # A circle session carol scheduled with Circle Lisbon (alice, bob); fay is in another
    # circle. Only a coach schedules; members read but do not change it.
    "coaching:group_new": {"carol": {200}, "*": {403}},
    "coaching:group_session": {"alice": {200}, "bob": {200}, "carol": {200}, "*": {404}},
    "coaching:group_change": {"alice": {403}, "bob": {403}, "carol": {400, 403}, "*": {404}},
    "coaching:group_cancel": {"alice": {403}, "bob": {403}, "carol": {302}, "*": {404}},
    # A nudge carol sent to alice (delivered): carol's page is hers, alice reads hers.
    "coaching:nudges": {"carol": {200}, "*": {403}},
    "coaching:nudge": {"alice": {200}, "carol": {200}, "*": {404}},
    "coaching:nudge_cancel": {"alice": {403}, "carol": {302}, "*": {404}},
}
# Experts (docs/permissions.md, "Experts"): adam (an admin) hosts office hours in cohort A and
# alice asked a question there. Cohort A's people see it; a learner asks and upvotes (not her
# own); the host answers and closes. An empty POST is a refused form (400).
EXPERTS_STATUS: dict[str, dict[str, set[int]]] = {
    "experts:threads": {"*": {200}},
    "experts:new": {"adam": {200}, "*": {403}},
    "experts:thread": {p: {200} for p in (*LEARNERS_OF_CAROL, "carol", "adam")} | {"*": {404}},
    "experts:invite": {p: {200} for p in (*LEARNERS_OF_CAROL, "carol", "adam")} | {"*": {404}},
    "experts:ask": {p: {400} for p in LEARNERS_OF_CAROL}
    | {"carol": {403}, "adam": {403}}
    | {"*": {404}},
    "experts:vote": {"alice": {403}, "bob": {400}, "fay": {400}, "carol": {403}, "adam": {403}}
    | {"*": {404}},
    "experts:answer": {p: {403} for p in (*LEARNERS_OF_CAROL, "carol")}
    | {"adam": {302}}
    | {"*": {404}},
    "experts:close": {p: {403} for p in (*LEARNERS_OF_CAROL, "carol")}
    | {"adam": {400}}
    | {"*": {404}},
}
EXPERTS_POST_ONLY = {"experts:ask", "experts:vote", "experts:answer", "experts:close"}
COACHING_POST_ONLY = {
    "coaching:book_slot",
    "coaching:move",
    "coaching:cancel",
    "coaching:video_link",
    "coaching:add_day_off",
    "coaching:remove_availability",
    "coaching:remove_day_off",
    "coaching:group_change",
    "coaching:group_cancel",
    "coaching:nudge_cancel",
}
# Coaching messages, action plans and notes (docs/permissions.md, "Coaching messages, notes and
# action plans"): the fixture is a message with a file alice sent carol and an item of their
# action plan; `person_id` is carol, so her learners reach their own conversation with her and
# everyone else (carol included: she is not her own learner) gets 404.
TALK_STATUS: dict[str, dict[str, set[int]]] = {
    "talk:inbox": {"*": {200}},
    "talk:thread": {p: {200} for p in LEARNERS_OF_CAROL} | {"*": {404}},
    "talk:plan": {p: {200} for p in LEARNERS_OF_CAROL} | {"*": {404}},
    "talk:item_status": {"alice": {400}, "carol": {400}, "*": {404}},
    "talk:attachment": {"alice": {200}, "carol": {200}, "*": {404}},
    "talk:ask": {p: {200} for p in LEARNERS_OF_CAROL}
    | {p: {403} for p in ("carol", "dora", "adam")}
    | {"*": {404}},
    # carol's empty note is saved (302); its learner is refused (403).
    "talk:note": {"carol": {302}, "alice": {403}, "*": {404}},
    # The session is still ahead (or, by carol's pass, cancelled): no follow-up yet (403).
    "talk:follow_up": {"carol": {403}, "alice": {403}, "*": {404}},
}
TALK_POST_ONLY = {"talk:item_status", "talk:note"}
# The caseload and matching (docs/permissions.md, "Caseload and matching"): the fixture is
# alice's seat (her coach is carol), a proposal adam made for cohort A, a change-of-coach
# request alice made, and the session alice booked with carol (not ended: marking it missed
# is refused with a message). adam goes last: his empty POSTs take alice's coach away.
_NOT_IN_A = ("dave", "erin", "oscar", "sam")
CASELOAD_STATUS: dict[str, dict[str, set[int]]] = {
    "caseload:index": {"carol": {200}, "*": {403}},
    "caseload:overview": {"adam": {200}, "*": {403}},
    "caseload:mark_missed": {"carol": {302}, "alice": {403}, "*": {404}},
    "matching:index": {"adam": {200}, "*": {403}},
    "matching:cohort": {"adam": {200}} | {p: {404} for p in _NOT_IN_A} | {"*": {403}},
    "matching:propose": {"adam": {302}} | {p: {404} for p in _NOT_IN_A} | {"*": {403}},
    "matching:assign": {"adam": {302}, "alice": {403}, "*": {404}},
    "matching:proposal": {"adam": {200}, "*": {404}},
    "matching:proposal_row": {"adam": {302, 400}, "*": {404}},
    "matching:publish": {"adam": {302}, "*": {404}},
    "matching:coach_profile": {"adam": {200}, "carol": {403}, "*": {404}},
    "matching:requests": {"adam": {200}, "*": {403}},
    "matching:resolve": {"adam": {302}, "alice": {403}, "*": {404}},
    "matching:my_coach": {"*": {200}},
    "matching:ask_for_change": {"alice": {302}, "*": {404}},
    "matching:my_preferences": {"*": {200}},
}
CASELOAD_POST_ONLY = {
    "caseload:mark_missed",
    "matching:propose",
    "matching:assign",
    "matching:proposal_row",
    "matching:publish",
    "matching:resolve",
    "matching:ask_for_change",
}
MODERATION_POST_ONLY = {
    "moderation:unblock",
    "moderation:hide",
    "moderation:dismiss",
    "moderation:unhide",
}
# Reflections (docs/permissions.md, "Reflections"): the fixture is alice's journal entry
# shared with her coach carol, and the cohort A mission (or video, for the "connect it" page).
_LEARNERS_OF_A = ("alice", "bob", "fay")
_SEE_COHORT_A = ("carol", "dora", "adam")  # may see cohort A's journey without learning in it
_LEARNER_FORM = {p: {200} for p in _LEARNERS_OF_A} | {p: {403} for p in _SEE_COHORT_A}
REFLECTIONS_STATUS = {
    "reflections:journal": {"*": {200}},
    # A sponsor writes no journal: she has no learner seat to write it from.
    "reflections:new": {p: {403} for p in (*_SEE_COHORT_A, "sam")} | {"*": {200}},
    "reflections:shared": {"*": {200}},
    "reflections:access_log": {"*": {200}},
    "reflections:draft": {"*": {400}},
    "reflections:entry": {"alice": {200}, "carol": {200}, "*": {404}},
    "reflections:edit": {"alice": {200}, "carol": {403}, "*": {404}},
    "reflections:visibility": {"alice": {400}, "carol": {403}, "*": {404}},
    "reflections:delete": {"alice": {302}, "carol": {403}, "*": {404}},
    "reflections:mission": _LEARNER_FORM | {"*": {404}},
    "reflections:plan": _LEARNER_FORM | {p: {400} for p in _LEARNERS_OF_A} | {"*": {404}},
    "reflections:reflect": _LEARNER_FORM | {p: {400} for p in _LEARNERS_OF_A} | {"*": {404}},
    "reflections:experience": _LEARNER_FORM | {"*": {404}},
}
REFLECTIONS_POST_ONLY = {
    "reflections:draft",
    "reflections:visibility",
    "reflections:delete",
    "reflections:plan",
    "reflections:reflect",
}
# Growth (docs/permissions.md, "Growth"): each person's own pages, for every member; the
# fixture items are alice's, so every other persona gets 404 on them; the organisation's
# emotion trends are for admins. Empty POSTs are refused (400) or save an empty answer (302).
_EVERY_MEMBER = {"*": {200}}
_ALICES = {"alice": {200}, "*": {404}}
_ALICES_POST = {"alice": {302, 400}, "*": {404}}
GROWTH_STATUS = {
    "growth:index": _EVERY_MEMBER,
    "growth:mindset": _EVERY_MEMBER,
    "growth:charters": _EVERY_MEMBER,
    "growth:conversations": _EVERY_MEMBER,
    "growth:check_in": _EVERY_MEMBER,
    "growth:model": _EVERY_MEMBER,
    "growth:trends": {"adam": {200}, "*": {403}},
    "growth:whats_in_it": {"*": {302}},
    "growth:picks": {"*": {302}},
    "growth:goal_new": {"*": {400}},
    "growth:belief_new": {"*": {400}},
    "growth:goal": _ALICES,
    "growth:belief": _ALICES,
    "growth:charter": _ALICES,
    "growth:charter_print": _ALICES,
    "growth:conversation": _ALICES,
    "growth:debrief": _ALICES,
    "growth:routine_new": _ALICES_POST,
    "growth:routine_check_in": _ALICES_POST,
    "growth:goal_delete": _ALICES_POST,
    "growth:belief_delete": _ALICES_POST,
    "growth:routine_delete": _ALICES_POST,
    "growth:charter_delete": _ALICES_POST,
    "growth:conversation_delete": _ALICES_POST,
}
GROWTH_POST_ONLY = {
    "growth:whats_in_it",
    "growth:picks",
    "growth:goal_new",
    "growth:belief_new",
    "growth:routine_new",
    "growth:routine_check_in",
    "growth:goal_delete",
    "growth:belief_delete",
    "growth:routine_delete",
    "growth:charter_delete",
    "growth:conversation_delete",
}
# Assessments (docs/permissions.md, "Assessments"): the fixture is cohort A's baseline round and
# alice's seat. Everyone has an Assessments page and a My growth over time page (their own);
# alice asks peers for her own seat only; alice (herself) and carol (her coach) may rate her, a
# peer only once she asked them (nobody here) — everyone else gets 404.
ASSESSMENTS_STATUS = {
    "assessments:index": {"*": {200}},
    "assessments:growth": {"*": {200}},
    "assessments:peers": {"alice": {200}, "*": {404}},
    "assessments:rate": {"alice": {200}, "carol": {200}, "*": {404}},
    # Feedback between rounds: alice asked bob (not shared with carol). The hub is everyone's
    # own; asking is alice's seat's; the request is hers (bob, asked in it, is sent to his own
    # part: 302); sharing and closing are hers (bob sees the request: 403); the part is bob's
    # (alice sees it but it is not hers to answer: 403). Alice goes first: she closes the
    # request, so bob's decline then finds it closed (400) and nothing changes.
    "assessments:feedback": {"*": {200}},
    "assessments:feedback_ask": {"alice": {200}, "*": {404}},
    "assessments:feedback_request": {"alice": {200}, "bob": {302}, "*": {404}},
    "assessments:feedback_share": {"alice": {400}, "bob": {403}, "*": {404}},
    "assessments:feedback_close": {"alice": {302}, "bob": {403}, "*": {404}},
    "assessments:feedback_answer": {"alice": {403}, "bob": {200}, "*": {404}},
    "assessments:feedback_decline": {"alice": {403}, "bob": {302, 400}, "*": {404}},
}
ASSESSMENTS_POST_ONLY = {
    "assessments:feedback_share",
    "assessments:feedback_close",
    "assessments:feedback_decline",
}

# Programme dashboards (analytics): an organisation's admins and sponsors, counts through the
# small-group rule; everyone else 403 (oscar, of another organisation, too: he is neither).
_DASHBOARD_READERS = {"adam": {200}, "sam": {200}}
ANALYTICS_STATUS = {
    "analytics:index": _DASHBOARD_READERS | {"*": {403}},
    "analytics:dashboard": _DASHBOARD_READERS | {"*": {403}},
    "analytics:dashboard_csv": _DASHBOARD_READERS | {"*": {403}},
    "analytics:connections": _DASHBOARD_READERS | {"*": {403}},
    # A coach's own circles' members not yet connected: coaches only.
    "analytics:not_connected": {"carol": {200}, "*": {403}},
}
# The design review (docs/permissions.md, "Design review"): designers and admins of the
# organisation; learners and coaches who can see the programme are refused (403); people with
# no seat in it, and other organisations, learn nothing (404). An empty POST is a refused form.
_REVIEWERS = {"dora", "adam"}
_NO_PROGRAMME = {"erin": {404}, "oscar": {404}, "sam": {404}}
DESIGN_REVIEW_STATUS: dict[str, dict[str, set[int]]] = {
    "design_review:program": {p: {200} for p in _REVIEWERS} | _NO_PROGRAMME | {"*": {403}},
    "design_review:report": {p: {200} for p in _REVIEWERS} | _NO_PROGRAMME | {"*": {403}},
    "design_review:activity": {p: {200} for p in _REVIEWERS} | _NO_PROGRAMME | {"*": {403}},
    "design_review:accept": {p: {400} for p in _REVIEWERS} | _NO_PROGRAMME | {"*": {403}},
    "design_review:dismiss": {p: {400} for p in _REVIEWERS} | _NO_PROGRAMME | {"*": {403}},
    # The panel's review of the text as typed: an empty POST is nothing to review (200).
    "design_review:preview": {p: {200} for p in _REVIEWERS} | _NO_PROGRAMME | {"*": {403}},
    # The organisation's own settings (no id: nobody reaches another's): designers read them,
    # admins change them; everyone else 403.
    "design_review:settings": {p: {200} for p in _REVIEWERS} | {"*": {403}},
}
# A programme sponsor has no participant's pages (rapport.participation): every page of these
# URL modules — My growth, the journal, Sessions, Messages, Assessments, My coach and matching,
# the experts' threads, moderation — answers her 403 before it loads anything, as a learner's
# form answers a person without a learner seat; never a page of her own empty data.
SPONSOR_REFUSED = {
    "growth",
    "reflections",
    "assessments",
    "coaching",
    "talk",
    "matching",
    "experts",
    "moderation",
}
for _table in (
    MODERATION_STATUS,
    COACHING_STATUS,
    EXPERTS_STATUS,
    TALK_STATUS,
    CASELOAD_STATUS,
    REFLECTIONS_STATUS,
    GROWTH_STATUS,
    ASSESSMENTS_STATUS,
):
    for _name in list(_table):
        if _name.split(":")[0] in SPONSOR_REFUSED:
            _table[_name] = _table[_name] | {"sam": {403}}
DESIGN_REVIEW_POST_ONLY = {
    "design_review:accept",
    "design_review:dismiss",
    "design_review:preview",
}

# Pages anyone may open, signed in or not. Signed-in people are sent on from the sign-in pages.
PUBLIC = {
    "healthz",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:invitation",  # a made-up link: the page says it is not valid
}
SIGN_IN = {"accounts:login"}
SIGN_OUT = {"accounts:logout"}  # POST only: a GET changes nothing
SIGNED_IN = {"home", "accounts:profile"}
# My data (docs/permissions.md, "My data"): each signed-in person's own export and erasure pages;
# a GET of the erasure page changes nothing. What is in them is tested in
# accounts/tests/test_my_data.py (nobody else's words, ever).
MY_DATA = {
    "accounts:my_data",
    "accounts:my_data_export",
    "accounts:my_data_readable",
    "accounts:erase",
}
# The confirmation after an erasure: only in the signed-out session that erased; anyone else
# is sent on (signed-in people to My data, others to sign in).
ERASED = {"accounts:erased"}
# Discussions: the people with a seat in the thread's cohort; everyone else 404 (admins and
# designers too: they read no thread). What each seated persona gets is in
# test_discussions_answer_the_threads_audience_only.
DISCUSSIONS = "discussions"
# Each person's own notifications (docs/permissions.md): pages every signed-in person opens, and
# the writes on them (POST only; a notification of someone else is a 404).
NOTIFICATION_PAGES = {"notifications:list", "notifications:badge", "notifications:preferences"}
NOTIFICATION_WRITES = {"notifications:read_all", "notifications:open"}
# Public but token-protected: the one-click unsubscribe; a made-up token is a 400 page.
PUBLIC_TOKEN = {"notifications:unsubscribe"}

# Studio pages per model, by who may manage the model's rows (docs/permissions.md).
STUDIO_CONTENT = {
    "organizations.competency",
    "programs.program",
    "programs.week",
    "programs.activity",
    "cohorts.cohort",
}
STUDIO_PEOPLE = {"accounts.user", "organizations.membership", "cohorts.enrollment"}
PLATFORM_ONLY = {
    "organizations.organization",
    "events.event",
    "events.deadstatement",
    "django_tasks_database.dbtaskresult",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
}

_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<group>\w+)>")


@dataclass
class Endpoint:
    """One URL pattern of the whole site, with its namespaced name and full route."""

    name: str | None
    route: str
    app_name: str | None
    pattern: URLPattern
    parameters: list[str] = field(default_factory=list)

    @property
    def model_label(self) -> str | None:
        """`app_label.model` for a studio page of one model (Django's admin marks each of
        those views with its ModelAdmin)."""
        model_admin = getattr(self.pattern.callback, "model_admin", None)
        return None if model_admin is None else model_admin.model._meta.label_lower


def _fill(route: str, values: dict[str, Any]) -> str:
    """The route with each parameter (`<uuid:x>` or a regex group `(?P<x>…)`) replaced by its
    value and regex anchors dropped."""
    out, i = [], 0
    while i < len(route):
        match = _PARAMETER.match(route, i)
        if match is None:
            if route[i] not in "^$":
                out.append(route[i])
            i += 1
            continue
        name = match.group("name") or match.group("group")
        out.append(str(values[name]))
        i = match.end()
        if match.group("group"):  # skip the group's own pattern, up to its closing bracket
            depth = 1
            while depth:
                depth += {"(": 1, ")": -1}.get(route[i], 0)
                i += 1
    return "".join(out)


def all_endpoints(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = "", app: str = ""
) -> Iterator[Endpoint]:
    """Every URL pattern reachable from the root URL configuration."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_endpoints(
                entry,
                route,
                ":".join(n for n in (namespace, entry.namespace) if n),
                entry.app_name or app,
            )
            continue
        name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
        parameters = [m.group("name") or m.group("group") for m in _PARAMETER.finditer(route)]
        yield Endpoint(name, route, app or None, entry, parameters)


class PrivacyMatrixTests(PersonaTestCase):
    # The kind of activity each endpoint is for; the rest use a video.
    ACTIVITY_KIND_FOR = {
        "cohorts:activity_launch": ActivityKind.ELEARNING,
        "cohorts:activity_invite": ActivityKind.LIVE_SESSION,
        "reflections:mission": ActivityKind.MISSION,
        "reflections:plan": ActivityKind.MISSION,
        "reflections:reflect": ActivityKind.MISSION,
    }

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # sam: the organisation's programme sponsor (an executive who funds the programme),
        # seated in no cohort: the dashboards and her own account pages, nothing personal.
        cls.sam = make_user(
            cls.org, "sam@northwind.example", role=Role.SPONSOR, name="Samira Sponsorova"
        )
        from discussions.actions import community_thread, create_post

        cls.community_a = community_thread(cls.cohort_a)
        cls.bobs_post = create_post(cls.community_a, author=cls.bob, body="Hello from Bob")
        # One of each of alice's growth items, made here so that their events are part of the
        # set-up the tests count from.
        from growth.tests.base import make_items
        from organizations.actions import seed_default_framework

        seed_default_framework(cls.org)
        cls.growth_sample = make_items(cls.alice, None)
        from reflections.tests.helpers import free_entry

        cls.alices_entry = free_entry(
            cls.alice, cls.cohort_a, body="Alice's reflection for Carol", visibility="coach"
        )
        cls.coaching_sample = cls.make_coaching_sample()
        cls.caseload_sample = cls.make_caseload_sample()
        from assessments.tasks import schedule_rounds

        schedule_rounds()
        from assessments.actions import request_feedback

        alices_seat = Enrollment.objects.get(cohort=cls.cohort_a, user=cls.alice)
        asked = request_feedback(
            cls.alice,
            seat=alices_seat,
            focus="Alice's private focus for Bob",
            behaviour=None,
            peers=[Enrollment.objects.get(cohort=cls.cohort_a, user=cls.bob)],
            ask_coach=False,
            due_on=None,
            today=timezone.localdate(),
        )
        cls.assessment_sample = {
            "round_id": AssessmentRound.objects.get(cohort=cls.cohort_a, kind="baseline").public_id,
            "seat_id": alices_seat.public_id,
            "feedback_id": asked.public_id,
            "answer_id": asked.answers.get().public_id,
        }

    @classmethod
    def make_coaching_sample(cls) -> dict[str, Any]:
        from coaching.tests.base import open_every_day

        blocks = open_every_day(cls.carol)
        day_off, _ = coaching_actions.add_day_off(
            cls.carol, day=timezone.localdate() + timedelta(days=20)
        )
        now = timezone.now()
        slots = free_slots(cls.alice, cls.carol, now=now)
        booking = coaching_actions.book_session(
            cls.alice, coach=cls.carol, starts_at=slots[0].starts_at, slots=slots, now=now
        ).booking
        start = now.replace(microsecond=0) + timedelta(days=3, hours=5)
        group = coaching_actions.schedule_group_session(
            cls.carol,
            circle=cls.circle_a,
            starts_at=start,
            ends_at=start + timedelta(minutes=60),
            video_url="",
            now=now,
        ).session
        from coaching.tests.talk_helpers import add_item, checked, send

        message = send(cls.alice, cls.carol, "Alice's message for Carol", files=(checked(),))
        item = add_item(cls.alice, cls.carol)
        from experts import actions as expert_actions

        thread = expert_actions.open_thread(
            cls.adam,
            cohort=cls.cohort_a,
            kind="office_hours",
            title="Office hours with the head of people",
            starts_at=start + timedelta(days=1),
            ends_at=start + timedelta(days=1, hours=1),
        )
        question = expert_actions.ask_question(
            cls.alice, thread=thread, body="Alice asks privately", show_name=False
        )
        from coaching.nudges import Audience, audience_of
        from coaching.tasks import send_due_nudges

        nudge = coaching_actions.schedule_nudge(
            cls.carol,
            body="A private nudge for {first_name}",
            seats=audience_of(cls.carol, Audience(learner_id=cls.alice.public_id), now=now),
            send_at=now,
        )
        send_due_nudges(now=now + timedelta(seconds=1))
        return {
            "nudge_id": nudge.public_id,
            "expert_thread_id": thread.public_id,
            "question_id": question.public_id,
            "coach_id": cls.carol.public_id,
            "booking_id": booking.public_id,
            "group_id": group.public_id,
            "availability_id": blocks[0].public_id,
            "day_off_id": day_off.public_id,
            "person_id": cls.carol.public_id,
            "item_id": item.public_id,
            "attachment_id": message.attachments.get().public_id,
        }

    def personas(self) -> dict[str, User | None]:
        return {
            ANONYMOUS: None,
            "alice": self.alice,
            "bob": self.bob,
            "carol": self.carol,
            "dave": self.dave,
            "erin": self.erin,
            "dora": self.dora,
            "adam": self.adam,
            "oscar": self.oscar,
            "fay": self.fay,
            "sam": self.sam,
        }

    # -- building URLs ------------------------------------------------------------------

    def sample_object(self, label: str, organization: Organization) -> models.Model | None:
        model = apps.get_model(label)
        if model is Organization:
            return organization
        if model is User:
            return User.objects.filter(membership__organization=organization).first()
        if any(f.name == "organization" for f in model._meta.get_fields()):
            return model._default_manager.filter(organization=organization).first()
        return model._default_manager.first()

    def sample_values(self, endpoint: Endpoint, obj: models.Model | None) -> dict[str, Any]:
        kind = self.ACTIVITY_KIND_FOR.get(endpoint.name or "", ActivityKind.VIDEO)
        values = {
            "cohort_id": self.cohort_a.public_id,
            "activity_id": self.first_activity(kind).public_id,
            "number": 1,
            "uidb64": "MQ",
            "token": "not-a-real-token",
            "object_id": obj.pk if obj is not None else 0,
            "content_type_id": ContentType.objects.get_for_model(Cohort).pk,
            "app_label": "cohorts",
            "url": "no-such-page/",
            "thread_id": self.community_a.public_id,
            "post_id": self.bobs_post.public_id,
            "notification_id": self.notification_of_alice().public_id,
            "circle_id": self.circle_a.public_id,
            "entry_id": self.alices_entry.public_id,
            "program_id": self.program.public_id,
            **self.moderation_sample_values(),
            **self.growth_sample_values(),
            **self.coaching_sample_values(),
            **self.caseload_sample_values(),
            **self.assessment_sample,
        }
        if endpoint.name == "moderation:report_entry":
            values["entry_id"] = self.shared_entry_sample()
        return values

    def shared_entry_sample(self) -> Any:
        """The public id of a journal entry of bob's shared with cohort A (alice's fixture entry
        is shared with her coach only, which is not reportable); made once per test."""
        if not hasattr(self, "_shared_entry"):
            from reflections.tests.helpers import free_entry

            self._shared_entry = free_entry(
                self.bob, self.cohort_a, body="Bob's entry for cohort A", visibility="cohort"
            )
        return self._shared_entry.public_id

    def url_of(self, endpoint: Endpoint, obj: models.Model | None = None) -> str:
        values = self.sample_values(endpoint, obj)
        if endpoint.route.startswith("studio/r/"):
            values["object_id"] = self.cohort_a.pk if obj is None else obj.pk
        unknown = set(endpoint.parameters) - set(values)
        self.assertFalse(unknown, f"{endpoint.route}: add sample values for {unknown} to this test")

        url = "/" + _fill(endpoint.route, values)
        match = resolve(url)
        self.assertEqual(match.func, endpoint.pattern.callback, f"{endpoint.route} → {url}")
        return url

    def endpoints(self) -> list[Endpoint]:
        found = list(all_endpoints())
        self.assertGreaterEqual(len(found), 30)
        for endpoint in found:
            self.assertTrue(
                endpoint.name in PUBLIC | SIGN_IN | SIGN_OUT | SIGNED_IN | MY_DATA | ERASED
                or endpoint.name in NOTIFICATION_PAGES | NOTIFICATION_WRITES | PUBLIC_TOKEN
                or (endpoint.name or "").split(":")[0] in PRODUCT_APPS
                or (endpoint.name or "").split(":")[0] == DISCUSSIONS
                or endpoint.name in MODERATION_STATUS
                or endpoint.name in REFLECTIONS_STATUS
                or endpoint.name in GROWTH_STATUS
                or endpoint.name in COACHING_STATUS
                or endpoint.name in ANALYTICS_STATUS
                or endpoint.name in TALK_STATUS
                or endpoint.name in CASELOAD_STATUS
                or endpoint.name in ASSESSMENTS_STATUS
                or endpoint.name in DESIGN_REVIEW_STATUS
                or endpoint.name in EXPERTS_STATUS
                or endpoint.app_name == "admin",
                f"{endpoint.route} ({endpoint.name}): say in this test who may open it",
            )
            label = endpoint.model_label
            if label is not None:
                self.assertIn(
                    label,
                    STUDIO_CONTENT | STUDIO_PEOPLE | PLATFORM_ONLY,
                    f"{endpoint.route}: say in this test who manages {label} in the studio",
                )
        return found

    def moderation_sample_values(self) -> dict[str, Any]:
        """Alice reports bob's post in cohort A's community space and blocks him (made once
        per test)."""
        if not hasattr(self, "_moderation_sample"):
            post = self.bobs_post
            report = report_post(post, reporter=self.alice, reason=ReportReason.HARASSMENT)
            block, _ = block_author(post, blocker=self.alice)
            self._moderation_sample = {
                "report_id": report.public_id,
                "block_id": block.public_id,
            }
        return self._moderation_sample

    def growth_sample_values(self) -> dict[str, Any]:
        """One of each of alice's growth items (made with the test data), by URL parameter."""
        return self.growth_sample

    def coaching_sample_values(self) -> dict[str, Any]:
        """Carol's weekly block and a day off, and a session alice booked with her (made in
        setUpTestData, so that the events its booking records are there before any test
        counts events)."""
        return self.coaching_sample

    @classmethod
    def make_caseload_sample(cls) -> dict[str, Any]:
        """alice's seat, a proposal of adam's for cohort A and alice's change-of-coach request
        (made in setUpTestData, so that the event of the request is there before any test
        counts events)."""
        seat = Enrollment.objects.get(user=cls.alice, cohort=cls.cohort_a)
        change, _ = coaching_actions.request_coach_change(cls.alice, seat=seat)
        proposal = coaching_actions.propose_matches(cls.adam, cohort=cls.cohort_a)
        return {
            "seat_id": seat.public_id,
            "proposal_id": proposal.public_id,
            "request_id": change.public_id,
        }

    def caseload_sample_values(self) -> dict[str, Any]:
        return self.caseload_sample

    def request(self, endpoint: Endpoint, url: str) -> HttpResponse:
        if (
            endpoint.name in (POST_ONLY | DISCUSSION_WRITES | ADMIN_POSTS | MODERATION_POST_ONLY)
            or endpoint.name in REFLECTIONS_POST_ONLY
            or endpoint.name in GROWTH_POST_ONLY
            or endpoint.name in COACHING_POST_ONLY
            or endpoint.name in TALK_POST_ONLY
            or endpoint.name in CASELOAD_POST_ONLY
            or endpoint.name in DESIGN_REVIEW_POST_ONLY
            or endpoint.name in EXPERTS_POST_ONLY
            or endpoint.name in ASSESSMENTS_POST_ONLY
        ):
            return self.client.post(url)  # type: ignore[return-value]
        return self.client.get(url)  # type: ignore[return-value]

    def as_persona(self, name: str) -> None:
        self.client.logout()
        person = self.personas()[name]
        if person is not None:
            self.client.force_login(person)

    def rule_endpoints(self, statuses: dict[str, dict[str, set[int]]]) -> list[Endpoint]:
        """The resolver's endpoints a per-app status table names, checking it names them all."""
        endpoints = [e for e in self.endpoints() if e.name in statuses]
        self.assertEqual({e.name for e in endpoints}, set(statuses))
        return endpoints

    def walk(
        self,
        statuses: dict[str, dict[str, set[int]]],
        order: Iterable[str],
        endpoints: list[Endpoint],
    ) -> Iterator[tuple[str, HttpResponse]]:
        """Each persona of `order` in turn (the order matters: writes come after refusals), on
        each endpoint: asserts the status its table gives that persona (or "*"), then yields
        (persona, response) for the test's own checks of what the page must not contain."""
        for persona in order:
            self.as_persona(persona)
            for endpoint in endpoints:
                rule = statuses[endpoint.name or ""]
                response = self.request(endpoint, self.url_of(endpoint))
                self.assertIn(
                    response.status_code, rule.get(persona, rule["*"]), f"{persona} {endpoint.name}"
                )
                yield persona, response

    def assert_rules(
        self,
        statuses: dict[str, dict[str, set[int]]],
        order: Iterable[str],
        endpoints: list[Endpoint],
    ) -> None:
        """`walk` for a table with no further checks: every persona gets its status."""
        for _ in self.walk(statuses, order, endpoints):
            pass

    # -- the matrix ------------------------------------------------------------------------

    def notification_of_alice(self) -> Notification:
        found = Notification.objects.filter(recipient=self.alice).first()
        if found is None:
            notify(
                kind=NotificationKind.REPLY,
                recipients=[self.alice],
                actor=self.bob,
                actor_label="Bob",
                place="Week 1",
                url="/",
            )
            found = Notification.objects.get(recipient=self.alice)
        return found

    def test_every_url_is_known_and_resolves_to_itself(self) -> None:
        for endpoint in self.endpoints():
            self.url_of(endpoint, self.sample_object_for(endpoint, self.org))

    def sample_object_for(self, endpoint: Endpoint, organization: Organization) -> Any:
        label = endpoint.model_label
        return self.sample_object(label, organization) if label else None

    def test_anonymous_people_see_only_public_pages(self) -> None:
        studio_login = reverse("studio:login")
        for endpoint in self.endpoints():
            url = self.url_of(endpoint, self.sample_object_for(endpoint, self.org))
            response = self.request(endpoint, url)
            if endpoint.name in PUBLIC | SIGN_IN or endpoint.name == "studio:login":
                self.assertEqual(response.status_code, 200, url)
            elif endpoint.name in PUBLIC_TOKEN:
                self.assertEqual(response.status_code, 400, url)
            elif endpoint.name in SIGN_OUT:
                self.assertEqual(response.status_code, 405, url)
            elif endpoint.name == "studio:logout":
                self.assertEqual(response.status_code, 302, url)  # nothing to sign out of
            elif endpoint.app_name == "admin":
                self.assertEqual(response.status_code, 302, url)
                self.assertIn(studio_login, response["Location"], url)
            else:
                self.assertEqual(response.status_code, 302, url)
                self.assertIn(reverse("accounts:login"), response["Location"], url)

    def test_people_outside_the_cohort_get_404_on_its_pages(self) -> None:
        # dave learns in cohort B of the same programme; erin in cohort C of another programme
        # of the same organisation; oscar in another organisation.
        recorded = Event.objects.count()  # the setup's seats and posts
        for persona in ("dave", "erin", "oscar", "sam"):
            self.as_persona(persona)
            for endpoint in self.endpoints():
                prefix = (endpoint.name or "").split(":")[0]
                if prefix not in PRODUCT_APPS:
                    continue
                if prefix == "programs" and persona == "dave":
                    continue  # the same programme's media is his to see through cohort B
                response = self.request(endpoint, self.url_of(endpoint))
                self.assertEqual(response.status_code, 404, f"{persona} {endpoint.name}")
        self.assertFalse(ActivityProgress.objects.exists())
        self.assertEqual(Event.objects.count(), recorded)  # none of them wrote anything

    def test_a_learner_of_another_circle_gets_404_on_this_one(self) -> None:
        # fay learns in cohort A too, in circle_a2: circle_a's pages are not hers.
        self.as_persona("fay")
        for endpoint in self.endpoints():
            if endpoint.name in CIRCLE_PAGES:
                response = self.request(endpoint, self.url_of(endpoint))
                self.assertEqual(response.status_code, 404, f"fay {endpoint.name}")

    def test_dave_streams_the_programmes_media_through_his_own_cohort(self) -> None:
        self.as_persona("dave")
        for name in ("programs:media", "programs:captions"):
            url = reverse(name, args=[self.first_activity().public_id])
            self.assertEqual(self.client.get(url).status_code, 200, name)

    def test_only_learners_write_and_only_admins_import(self) -> None:
        for persona in ("carol", "dora", "adam", "alice"):
            self.as_persona(persona)
            for endpoint in self.endpoints():
                if (endpoint.name or "").split(":")[0] not in PRODUCT_APPS:
                    continue
                status = self.request(endpoint, self.url_of(endpoint)).status_code
                if endpoint.name in POST_ONLY:
                    # an empty POST is a bad request for the learner, forbidden for others
                    expected = {200, 302, 400} if persona == "alice" else {403}
                elif endpoint.name in ADMIN_POSTS:
                    expected = {302, 400} if persona == "adam" else {403}
                elif endpoint.name in CIRCLE_PAGES and persona == "dora":
                    expected = {404}  # a designer is in no circle
                elif endpoint.name in ADMIN_ONLY:
                    expected = {200} if persona == "adam" else {403}
                elif endpoint.name in COACH_ONLY:
                    expected = {200} if persona == "carol" else {404}
                else:
                    expected = {200, 302}
                self.assertIn(status, expected, f"{persona} {endpoint.name}")

    def test_signed_in_pages_and_public_pages_for_everyone_signed_in(self) -> None:
        for persona in self.personas():
            if persona == ANONYMOUS:
                continue
            self.as_persona(persona)
            for endpoint in self.endpoints():
                if endpoint.name not in PUBLIC | SIGN_IN | SIGN_OUT | SIGNED_IN | MY_DATA | ERASED:
                    continue
                status = self.request(endpoint, self.url_of(endpoint)).status_code
                if endpoint.name in SIGN_IN | ERASED:
                    expected = {302}
                elif endpoint.name in SIGN_OUT:
                    expected = {405}
                elif endpoint.name == "home":
                    expected = {200, 302}
                else:
                    expected = {200}
                self.assertIn(status, expected, f"{persona} {endpoint.name}")

    def studio_audience(self, label: str) -> set[str]:
        if label in STUDIO_CONTENT:
            return {"dora", "adam"}
        if label in STUDIO_PEOPLE:
            return {"adam"}
        return set()

    def test_the_studio_is_only_for_designers_and_admins(self) -> None:
        studio_login = reverse("studio:login")
        for persona in ("alice", "bob", "carol", "dave", "erin", "oscar", "sam"):
            self.as_persona(persona)
            for endpoint in self.endpoints():
                if endpoint.app_name != "admin" or endpoint.name in {
                    "studio:login",
                    "studio:logout",
                }:
                    continue
                url = self.url_of(endpoint, self.sample_object_for(endpoint, self.org))
                response = self.request(endpoint, url)
                self.assertEqual(response.status_code, 302, f"{persona} {url}")
                self.assertIn(studio_login, response["Location"], f"{persona} {url}")

    def test_studio_pages_follow_the_model_audience(self) -> None:
        for persona in ("dora", "adam"):
            self.as_persona(persona)
            for endpoint in self.endpoints():
                label = endpoint.model_label
                if label is None:
                    continue
                obj = self.sample_object(label, self.org)
                url = self.url_of(endpoint, obj)
                status = self.request(endpoint, url).status_code
                allowed = persona in self.studio_audience(label)
                if not allowed:
                    expected = {302, 403, 404} if endpoint.parameters else {403}
                elif endpoint.name is None:
                    expected = {302}  # the bare object URL sends on to its change page
                elif label == "accounts.user" and endpoint.name.endswith("_delete"):
                    expected = {403}  # people are deactivated, never deleted from the studio
                else:
                    expected = {200}
                self.assertIn(status, expected, f"{persona} {url}")

    def test_another_organisations_rows_never_open_in_the_studio(self) -> None:
        for persona in ("dora", "adam"):
            self.as_persona(persona)
            for endpoint in self.endpoints():
                label = endpoint.model_label
                if label is None or "object_id" not in endpoint.parameters:
                    continue
                obj = self.sample_object(label, self.other_org)
                if obj is None:
                    continue
                response = self.request(endpoint, self.url_of(endpoint, obj))
                self.assertIn(response.status_code, {302, 403, 404}, f"{persona} {endpoint}")
                self.assertNotContains(
                    response, str(obj), status_code=response.status_code, html=False
                )

    def test_studio_pages_that_are_not_about_one_model(self) -> None:
        expected_for = {
            "studio:index": {200},
            "studio:password_change": {200},
            "studio:password_change_done": {200},
            "studio:jsi18n": {200},
            "studio:autocomplete": {403},  # without its parameters
            "studio:login": {302},
            "studio:logout": {405},
            "studio:app_list": {200},  # cohorts: both see cohorts
            "studio:view_on_site": {302, 404},
            None: {404},  # the catch-all
        }
        for persona in ("dora", "adam"):
            self.as_persona(persona)
            for endpoint in self.endpoints():
                if endpoint.app_name != "admin" or endpoint.model_label is not None:
                    continue
                self.assertIn(
                    endpoint.name,
                    expected_for,
                    f"{endpoint.route}: say in this test what the studio page gives staff",
                )
                status = self.request(endpoint, self.url_of(endpoint)).status_code
                self.assertIn(status, expected_for[endpoint.name], f"{persona} {endpoint.route}")

    def test_a_learner_never_sees_a_peers_progress(self) -> None:
        alice = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        for activity in self.program.weeks.get(number=2).activities.all():
            set_completed(alice, activity=activity)
        self.as_persona("bob")
        for endpoint in self.endpoints():
            if endpoint.name in POST_ONLY or endpoint.name in ADMIN_ONLY:
                continue
            if (endpoint.name or "").split(":")[0] != "cohorts":
                continue
            response = self.request(endpoint, self.url_of(endpoint))
            self.assertNotContains(response, "✓ Done", status_code=response.status_code)
            self.assertNotContains(response, "4 of 4 done", status_code=response.status_code)

    def test_staff_previews_show_no_ones_progress(self) -> None:
        alice = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        for activity in self.program.weeks.get(number=2).activities.all():
            set_completed(alice, activity=activity)
        for person in (self.carol, self.dora, self.adam):
            self.client.force_login(person)
            for name in ("cohorts:this_week", "cohorts:journey"):
                response = self.client.get(reverse(name, args=[self.cohort_a.public_id]))
                self.assertNotContains(response, "done")

    def test_discussions_answer_the_threads_audience_only(self) -> None:
        # An empty POST from a seated person is a refused form (400); bob's post is not alice's
        # or carol's to edit or delete (403); its history is for bob and the coach only.
        seated = {
            "discussions:thread": {200},
            "discussions:community": {302},
            "discussions:post_link": {302},
            "discussions:replies": {200},  # bob's post and its replies, for its audience
            "discussions:post": {400},
            "discussions:draft": {200},
            "discussions:people": {200},  # names of the thread's audience only
            "discussions:react": {400},
            "discussions:edit": {403},
            "discussions:delete": {403},
            "discussions:history": {404},
        }
        expected_for = {
            "alice": seated,
            "carol": {**seated, "discussions:history": {200}},
            "bob": {**seated, "discussions:edit": {200}, "discussions:history": {200}},
        }
        for persona in ("sam", "alice", "carol", "dave", "erin", "dora", "adam", "oscar", "bob"):
            self.as_persona(persona)
            for endpoint in self.endpoints():
                if (endpoint.name or "").split(":")[0] != DISCUSSIONS:
                    continue
                if persona == "bob" and endpoint.name == "discussions:delete":
                    continue  # he may delete it; the other personas still need it
                response = self.request(endpoint, self.url_of(endpoint))
                allowed = expected_for.get(persona, {}).get(endpoint.name or "", {404})
                self.assertIn(response.status_code, allowed, f"{persona} {endpoint.name}")
                if persona not in expected_for:
                    self.assertNotContains(
                        response, "Hello from Bob", status_code=response.status_code
                    )

    def test_my_data_is_each_persons_own(self) -> None:
        people = {name: p for name, p in self.personas().items() if p is not None}
        self.moderation_sample_values()  # alice reported and blocked bob: hers, never his
        for name, person in people.items():
            self.as_persona(name)
            for url_name in ("accounts:my_data_export", "accounts:my_data_readable"):
                response = self.client.get(reverse(url_name))
                self.assertEqual(response.status_code, 200, f"{name} {url_name}")
                body = response.content.decode()
                self.assertIn(person.email, body)
                for other in people.values():
                    if other != person:
                        self.assertNotIn(other.email, body, f"{name} {url_name}")

    def test_notifications_are_their_recipients_alone(self) -> None:
        notification = self.notification_of_alice()
        for persona in self.personas():
            if persona == ANONYMOUS:
                continue
            self.as_persona(persona)
            for endpoint in self.endpoints():
                if endpoint.name in NOTIFICATION_PAGES:
                    response = self.client.get(self.url_of(endpoint))
                    self.assertEqual(response.status_code, 200, f"{persona} {endpoint.name}")
                    if persona != "alice":
                        self.assertNotContains(response, notification.place)
                elif endpoint.name == "notifications:open":
                    status = self.client.post(self.url_of(endpoint)).status_code
                    self.assertEqual(status, 302 if persona == "alice" else 404, persona)
                elif endpoint.name in NOTIFICATION_WRITES:
                    self.assertIn(self.client.post(self.url_of(endpoint)).status_code, {302})
                elif endpoint.name in PUBLIC_TOKEN:
                    self.assertEqual(self.client.get(self.url_of(endpoint)).status_code, 400)
        notification.refresh_from_db()
        self.assertIsNotNone(notification.read_at)  # opened by alice, and by nobody else
        self.assertEqual(Notification.objects.filter(read_at__isnull=True).count(), 0)

    def test_a_url_with_an_unknown_parameter_fails_with_a_message(self) -> None:
        endpoint = Endpoint(
            "gardens:detail",
            "gardens/<uuid:garden_id>/",
            None,
            None,
            ["garden_id"],  # type: ignore[arg-type]
        )
        with self.assertRaisesMessage(AssertionError, "add sample values for {'garden_id'}"):
            self.url_of(endpoint)

    def test_moderation_pages_answer_each_persona_as_the_rules_say(self) -> None:
        # Those refused go first, so that the moderators' and the blocker's writes come after
        # every refusal was checked.
        order = ["sam", "dave", "erin", "dora", "oscar", "bob", "alice", "carol", "adam"]
        endpoints = self.rule_endpoints(MODERATION_STATUS)
        for persona, response in self.walk(MODERATION_STATUS, order, endpoints):
            if persona not in ("alice", "bob", "carol"):  # the cohort entry's readers
                self.assertNotContains(
                    response, "entry for cohort A", status_code=response.status_code
                )

    def test_reflections_answer_each_persona_as_the_rules_say(self) -> None:
        # alice goes last, so that deleting her entry comes after every refusal was checked.
        order = ["sam", "dave", "erin", "dora", "oscar", "bob", "fay", "adam", "carol", "alice"]
        endpoints = self.rule_endpoints(REFLECTIONS_STATUS)
        endpoints.sort(key=lambda e: e.name == "reflections:delete")
        for persona, response in self.walk(REFLECTIONS_STATUS, order, endpoints):
            status = response.status_code
            if persona not in ("alice", "carol"):
                self.assertNotContains(
                    response, "reflection for Carol", status_code=status, html=False
                )

    def test_growth_pages_answer_each_persona_as_the_rules_say(self) -> None:
        # alice goes last, her deletions after everything else was checked.
        from growth.tests.base import SECRET

        order = ["sam", "bob", "carol", "dave", "erin", "dora", "adam", "oscar", "fay", "alice"]
        endpoints = self.rule_endpoints(GROWTH_STATUS)
        # Deletions last, the belief's after its routine's (it takes its routines with it).
        endpoints.sort(
            key=lambda e: ((e.name or "").endswith("_delete"), e.name == "growth:belief_delete")
        )
        for persona, response in self.walk(GROWTH_STATUS, order, endpoints):
            if persona != "alice":
                for sentence in SECRET.values():
                    self.assertNotContains(response, sentence, status_code=response.status_code)

    def test_programme_dashboards_answer_each_persona_as_the_rules_say(self) -> None:
        endpoints = self.rule_endpoints(ANALYTICS_STATUS)
        self.assert_rules(
            ANALYTICS_STATUS,
            ("alice", "bob", "carol", "dave", "erin", "dora", "adam", "oscar", "fay", "sam"),
            endpoints,
        )
        # Another organisation's admin gets 404 for this one's programme.
        other_admin = make_user(self.other_org, "olga@contoso.example", role=Role.ADMIN)
        self.client.force_login(other_admin)
        for endpoint in endpoints:
            if "program_id" in endpoint.parameters:
                response = self.request(endpoint, self.url_of(endpoint))
                self.assertEqual(response.status_code, 404, endpoint.name)

    def test_coaching_messages_answer_each_persona_as_the_rules_say(self) -> None:
        order = ["sam", "dave", "erin", "dora", "adam", "oscar", "bob", "fay", "alice", "carol"]
        endpoints = self.rule_endpoints(TALK_STATUS)
        for persona, response in self.walk(TALK_STATUS, order, endpoints):
            status = response.status_code
            if persona not in ("alice", "carol"):
                # Nobody but its two people reads the conversation or its plan.
                self.assertNotContains(response, "Alice's message", status_code=status)
                self.assertNotContains(response, "one open question a day", status_code=status)

    def test_the_caseload_and_matching_answer_each_persona_as_the_rules_say(self) -> None:
        order = ["sam", "dave", "erin", "dora", "oscar", "bob", "fay", "carol", "alice", "adam"]
        endpoints = self.rule_endpoints(CASELOAD_STATUS)
        request_id = str(self.caseload_sample_values()["request_id"])
        for persona, response in self.walk(CASELOAD_STATUS, order, endpoints):
            status = response.status_code
            if persona not in ("alice", "adam"):
                # Nobody but alice and the admins learns that she asked for another coach.
                self.assertNotContains(response, request_id, status_code=status)
                self.assertNotContains(response, "asked for another", status_code=status)
            if persona != "adam":
                self.assertNotContains(response, "Proposed matches", status_code=status)

    def test_assessment_pages_answer_each_persona_as_the_rules_say(self) -> None:
        endpoints = self.rule_endpoints(ASSESSMENTS_STATUS)
        for persona, response in self.walk(
            ASSESSMENTS_STATUS, [p for p in self.personas() if p != ANONYMOUS], endpoints
        ):
            if persona not in ("alice", "bob"):
                self.assertNotContains(response, "private focus", status_code=response.status_code)

    def test_coaching_sessions_answer_each_persona_as_the_rules_say(self) -> None:
        # Those refused go first; carol last (her removals delete the fixture).
        order = ["sam", "dave", "erin", "dora", "adam", "oscar", "bob", "fay", "alice", "carol"]
        endpoints = self.rule_endpoints(COACHING_STATUS)
        booking_id = str(self.coaching_sample_values()["booking_id"])
        group_id = str(self.coaching_sample_values()["group_id"])
        for persona, response in self.walk(COACHING_STATUS, order, endpoints):
            status = response.status_code
            if persona not in ("alice", "carol") and response["Content-Type"].startswith(
                "text/html"
            ):
                # Nobody but its two people learns the session exists.
                self.assertNotContains(response, booking_id, status_code=status)
                self.assertNotContains(response, "Coaching session with", status_code=status)
                self.assertNotContains(response, "A private nudge", status_code=status)
            if persona not in ("alice", "bob", "carol") and response["Content-Type"].startswith(
                "text/html"
            ):
                # Nor anyone outside Circle Lisbon its circle session.
                self.assertNotContains(response, group_id, status_code=status)
                self.assertNotContains(response, "Circle session", status_code=status)

    def test_the_design_review_answers_each_persona_as_the_rules_say(self) -> None:
        order = ["sam", "alice", "bob", "carol", "dave", "erin", "fay", "oscar", "dora", "adam"]
        endpoints = self.rule_endpoints(DESIGN_REVIEW_STATUS)
        self.assert_rules(DESIGN_REVIEW_STATUS, order, endpoints)

    def test_experts_pages_answer_each_persona_as_the_rules_say(self) -> None:
        order = ["sam", "dave", "erin", "dora", "oscar", "bob", "fay", "alice", "carol", "adam"]
        endpoints = self.rule_endpoints(EXPERTS_STATUS)
        thread_id = str(self.coaching_sample_values()["expert_thread_id"])
        for persona, response in self.walk(EXPERTS_STATUS, order, endpoints):
            status = response.status_code
            if persona in ("dave", "erin", "dora", "oscar"):
                self.assertNotContains(response, thread_id, status_code=status)
                self.assertNotContains(response, "Alice asks", status_code=status)
            if persona not in ("adam",):
                # alice hid her name: no page names her as the asker but the host's.
                self.assertNotContains(response, "Asked by Alice", status_code=status)

    # -- the sponsor -----------------------------------------------------------------------

    def private_words(self) -> list[str]:
        """Everything the fixture's people wrote or are called that a sponsor must never read:
        each person's name and address (hers excepted), and every private text of the set-up."""
        from growth.tests.base import SECRET

        people = [p for p in self.personas().values() if p is not None and p != self.sam]
        return [
            *(p.full_name for p in people),
            *(p.email for p in people),
            "Hello from Bob",
            "reflection for Carol",
            "Alice's message",
            "one open question a day",
            "Alice asks",
            "A private nudge",
            *SECRET.values(),
        ]

    def test_a_sponsors_pages_never_hold_a_persons_name_or_words(self) -> None:
        # Every URL of the site as sam (GET, or POST for the forms that take only a POST):
        # whatever it answers, no one's name, address or private text is in it. Her own
        # pages (home, the dashboards, My data, settings) are among them.
        self.moderation_sample_values()  # alice's report and block exist too
        alice = Enrollment.objects.get(user=self.alice, cohort=self.cohort_a)
        set_completed(alice, activity=self.first_activity())
        words = self.private_words()
        self.as_persona("sam")
        opened = 0
        for endpoint in self.endpoints():
            if endpoint.name in SIGN_OUT | {"studio:logout", "accounts:erase"}:
                continue  # they would end her session, not show her anything
            url = self.url_of(endpoint, self.sample_object_for(endpoint, self.org))
            response = self.request(endpoint, url)
            opened += response.status_code == 200
            if response.streaming:
                continue  # media and files: only ever 404 for her, checked by the tables
            # Random per-request values (CSRF tokens, CSP nonces) can spell a short name
            # ("…5BoblcF…"): they are taken out before the check.
            body = without_noise(response.content.decode(errors="replace"))
            for word in words:
                self.assertNotIn(word, body, f"sam {endpoint.name} {url}")
        self.assertGreaterEqual(opened, 10)  # her own pages did open

    def test_a_sponsor_is_refused_every_studio_page_and_every_persons_page(self) -> None:
        self.as_persona("sam")
        self.assertEqual(self.client.get(reverse("studio:index")).status_code, 302)
        for name, args in (
            ("caseload:overview", []),
            ("matching:index", []),
            ("moderation:queue", []),
            ("growth:trends", []),
            ("coaching:nudges", []),
            ("analytics:not_connected", []),
            ("cohorts:import", [self.cohort_a.public_id]),
            ("circles:manage", [self.cohort_a.public_id]),
            ("cohorts:this_week", [self.cohort_a.public_id]),
            ("reflections:entry", [self.alices_entry.public_id]),
        ):
            status = self.client.get(reverse(name, args=args)).status_code
            self.assertIn(status, {403, 404}, name)

    def test_a_sponsor_is_told_participants_pages_are_not_hers_and_not_shown_them(self) -> None:
        # A page of her own empty data was the fault: she gets the 403 page saying whose page it
        # is and where hers are; a designer without a learner seat keeps hers (unchanged).
        self.as_persona("sam")
        for name in (
            "growth:index",
            "coaching:sessions",
            "reflections:journal",
            "assessments:growth",
            "talk:inbox",
            "matching:my_coach",
            "experts:threads",
            "moderation:mine",
        ):
            response = self.client.get(reverse(name))
            self.assertContains(
                response, "for the people taking part in a programme", status_code=403
            )
            self.assertContains(response, "your pages are your home", status_code=403)
        home = self.client.get(reverse("home"))
        for name in ("growth:index", "coaching:sessions", "reflections:journal", "talk:inbox"):
            self.assertNotContains(home, f'href="{reverse(name)}"', msg_prefix=name)
        self.as_persona("dora")
        self.assertEqual(self.client.get(reverse("growth:index")).status_code, 200)
        self.assertContains(self.client.get(reverse("home")), f'href="{reverse("growth:index")}"')
        # A seat is not a role: seated in a cohort, a sponsor takes part like anyone seated.
        from cohorts.actions import enroll

        enroll(self.sam, cohort=self.cohort_b)
        self.as_persona("sam")
        for name in ("growth:index", "reflections:journal", "coaching:sessions"):
            self.assertEqual(self.client.get(reverse(name)).status_code, 200, name)

    def test_no_visible_to_rule_gives_a_sponsor_a_persons_row(self) -> None:
        # Every model with a `visible_to` rule, from the app registry: sam sees her own
        # organisation, her own account and membership, and the shared leadership model —
        # nothing else. A rule that let "anyone but a learner" in would fail here.
        from organizations.models import Behaviour, Competency, Membership

        self.moderation_sample_values()
        allowed = {
            Organization: {self.org.pk},
            User: {self.sam.pk},
            Membership: {self.sam.membership.pk},
            Competency: set(
                Competency.objects.filter(organization=self.org).values_list("pk", flat=True)
            ),
            Behaviour: set(
                Behaviour.objects.filter(organization=self.org).values_list("pk", flat=True)
            ),
        }
        checked = []
        for model in apps.get_models():
            manager = model._default_manager
            if not hasattr(manager, "visible_to"):
                continue
            seen = set(manager.visible_to(self.sam).values_list("pk", flat=True))
            self.assertEqual(seen, allowed.get(model, set()), model._meta.label)
            if manager.exists():
                checked.append(model._meta.label)
        # The fixture has rows in most of them, so "nothing" is a real answer.
        self.assertGreaterEqual(len(checked), 40, checked)
