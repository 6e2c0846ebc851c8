"""Events shaped as xAPI 1.0.3 statements, ready to forward to a Learning Record Store.

The actor is identified by an opaque account (the person's public id), never by email or name,
so a statement reveals nothing a Learning Record Store does not need.

IRIs come from the published vocabularies (ADL, the xAPI video profile, Activity Streams, the
TinCan registry) where one fits. Where none does, the IRI is the deployment's own
(`{base_url}/xapi/...`), as the object and result-extension IRIs already are.
"""

import uuid
from typing import Any

from events.models import Event, ObjectType, ResultKey, Verb

ADL = "http://adlnet.gov/expapi/verbs/"
VIDEO = "https://w3id.org/xapi/video/verbs/"
TINCAN = "http://id.tincanapi.com/verb/"

# A value starting with "/" is the deployment's own IRI: base_url + value.
VERB_IRIS: dict[Verb, str] = {
    Verb.VIEWED: f"{TINCAN}viewed",
    Verb.PLAYED: f"{VIDEO}played",
    Verb.PAUSED: f"{VIDEO}paused",
    Verb.PROGRESSED: f"{ADL}progressed",
    Verb.COMPLETED: f"{ADL}completed",
    Verb.UNCOMPLETED: "/xapi/verbs/uncompleted",  # no published verb undoes a completion
    Verb.LAUNCHED: f"{ADL}launched",
    Verb.DOWNLOADED: f"{TINCAN}downloaded",
    Verb.REGISTERED: f"{ADL}registered",
    Verb.UNREGISTERED: f"{TINCAN}unregistered",
    Verb.IMPORTED: f"{ADL}imported",
    Verb.INVITED: "http://activitystrea.ms/schema/1.0/invite",
    Verb.COMMENTED: f"{ADL}commented",
    Verb.PLANNED: "/xapi/verbs/planned",  # no ADL-registered verb for making a plan
    Verb.REFLECTED: "/xapi/verbs/reflected",  # nor for writing a reflection
    Verb.SHARED: f"{ADL}shared",
    Verb.JOINED: "http://activitystrea.ms/schema/1.0/join",
    Verb.COMMITTED: "/xapi/verbs/committed",  # growth: no published verb for setting a goal
    Verb.ACHIEVED: "/xapi/verbs/achieved",
    Verb.PRACTISED: "/xapi/verbs/practised",
    Verb.CHECKED_IN: "/xapi/verbs/checked-in",
    # No published verb books, moves or cancels a meeting: the deployment's own IRIs.
    Verb.SCHEDULED: "/xapi/verbs/scheduled",
    Verb.RESCHEDULED: "/xapi/verbs/rescheduled",
    Verb.CANCELLED: "/xapi/verbs/cancelled",
    # Nor one for a missed meeting, a coach assigned or a change of coach asked for.
    Verb.MISSED: "/xapi/verbs/missed",
    Verb.ASSIGNED: "/xapi/verbs/assigned",
    Verb.REQUESTED: "/xapi/verbs/requested",
    Verb.ASKED: f"{ADL}asked",
    Verb.RESPONDED: f"{ADL}responded",
    Verb.REVISED: "/xapi/verbs/revised",  # a designer accepted a design-review rewrite
    Verb.DISMISSED: "/xapi/verbs/dismissed",  # a designer dismissed a finding, with a reason
    Verb.APPROVED: "/xapi/verbs/approved",  # a programme's review signed off
    Verb.UPVOTED: f"{TINCAN}voted-up",
    Verb.ANSWERED: f"{ADL}answered",
    Verb.NUDGED: "/xapi/verbs/nudged",  # no published verb for a reminder sent to someone
    # No published verb gives or declines feedback asked for (ADL's "responded" is an answer
    # to an assessment's question, which this is not).
    Verb.GAVE_FEEDBACK: "/xapi/verbs/gave-feedback",
    Verb.DECLINED: "/xapi/verbs/declined",
}

# xAPI object shape per type: an Activity with a definition type, or an Agent (a person).
ACTIVITY_TYPE_IRIS: dict[ObjectType, str | None] = {
    ObjectType.ACTIVITY: "http://adlnet.gov/expapi/activities/module",
    ObjectType.PROGRAM: "http://adlnet.gov/expapi/activities/course",
    ObjectType.COHORT: "http://activitystrea.ms/schema/1.0/group",
    ObjectType.PERSON: None,  # an Agent, not an Activity
    ObjectType.CIRCLE: "http://activitystrea.ms/schema/1.0/group",
    ObjectType.GOAL: "http://adlnet.gov/expapi/activities/objective",
    ObjectType.ROUTINE: "http://adlnet.gov/expapi/activities/performance",
    ObjectType.CONVERSATION: "http://adlnet.gov/expapi/activities/meeting",
    ObjectType.CHECK_IN: "http://adlnet.gov/expapi/activities/interaction",
    ObjectType.COACHING_SESSION: "http://adlnet.gov/expapi/activities/meeting",
    ObjectType.COACHING_CONVERSATION: "http://id.tincanapi.com/activitytype/chat-channel",
    ObjectType.ACTION_ITEM: "http://adlnet.gov/expapi/activities/objective",
    ObjectType.ASSESSMENT_ROUND: "http://adlnet.gov/expapi/activities/assessment",
    ObjectType.QUESTION: "http://adlnet.gov/expapi/activities/question",
    ObjectType.FEEDBACK_REQUEST: "http://activitystrea.ms/schema/1.0/review",
    ObjectType.FEEDBACK_ANSWER: "http://activitystrea.ms/schema/1.0/review",
}

# Where each result key goes: the xAPI `completion` property, or an extension IRI.
RESULT_EXTENSION_IRIS: dict[ResultKey, str] = {
    ResultKey.POSITION: "https://w3id.org/xapi/video/extensions/time",
    # The media's length describes the context, not the result: a context extension (below).
    ResultKey.LENGTH: "https://w3id.org/xapi/video/extensions/length",
    ResultKey.CREATED: "/xapi/result/created",
    ResultKey.ENROLLED: "/xapi/result/enrolled",
    ResultKey.UPDATED: "/xapi/result/updated",
    ResultKey.UNCHANGED: "/xapi/result/unchanged",
    ResultKey.ERRORS: "/xapi/result/errors",
}


def _iri(value: str, base: str) -> str:
    return f"{base}{value}" if value.startswith("/") else value


def _object(object_type: str, public_id: object, base: str) -> dict[str, Any]:
    kind = ObjectType(object_type)
    if kind == ObjectType.PERSON:
        return {"objectType": "Agent", "account": {"homePage": base, "name": str(public_id)}}
    reference: dict[str, Any] = {"objectType": "Activity", "id": f"{base}/xapi/{kind}/{public_id}"}
    if activity_type := ACTIVITY_TYPE_IRIS[kind]:
        reference["definition"] = {"type": activity_type}
    return reference


# Result keys that xAPI (the video profile) places in context.extensions, not result.extensions.
CONTEXT_EXTENSION_KEYS = frozenset({ResultKey.LENGTH})

# The xAPI video profile (https://w3id.org/xapi/video, v1.0.3): the statements of a video's
# played, paused and completed carry its activity type, the profile in context category, a
# session id, the playhead (`time`), and for paused and completed the length and progress.
VIDEO_PROFILE = "https://w3id.org/xapi/video"
VIDEO_ACTIVITY_TYPE = "https://w3id.org/xapi/video/activity-type/video"
VIDEO_SESSION_ID = "https://w3id.org/xapi/video/extensions/session-id"
VIDEO_PROGRESS = "https://w3id.org/xapi/video/extensions/progress"
PROFILE_ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/profile"
VIDEO_VERBS = frozenset({Verb.PLAYED, Verb.PAUSED, Verb.COMPLETED})
# Rapport's own namespace for derived ids (a viewing session's), so they are stable and opaque.
SESSION_NAMESPACE = uuid.UUID("6f1d3c52-6a4e-4d7e-9a37-2b8f4f0c7e11")


def video_profile_applies(event: Event, activity_kind: str | None) -> bool:
    """Whether the event is a statement of the xAPI video profile: played, paused or completed of
    a video activity, with what the profile requires of it — the playhead (`position`) always,
    and the media's `length` for paused and completed. An event without them (a video marked
    done by hand) stays a plain statement rather than a profile statement missing its fields."""
    if activity_kind != "video" or event.object_type != ObjectType.ACTIVITY:
        return False
    if event.verb not in VIDEO_VERBS or ResultKey.POSITION not in event.result:
        return False
    return event.verb == Verb.PLAYED or ResultKey.LENGTH in event.result


def _session_id(event: Event, actor_id: object) -> str:
    """The video profile's session id: one per learner, video and UTC day, derived (UUID 5) from
    opaque ids only, so every statement of one sitting shares it and it identifies nobody."""
    who = event.registration or actor_id
    day = event.timestamp.date().isoformat()
    return str(uuid.uuid5(SESSION_NAMESPACE, f"{who}:{event.object_id}:{day}"))


def _context(
    event: Event, base: str, *, registration: uuid.UUID | None, program_id: uuid.UUID | None
) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if registration is not None:
        context["registration"] = str(registration)
    activities: dict[str, list[dict[str, Any]]] = {}
    if event.parent_type and event.parent_id is not None:
        activities["parent"] = [_object(event.parent_type, event.parent_id, base)]
    grouping = []
    if event.cohort_id is not None and event.cohort is not None:
        grouping.append(_object(ObjectType.COHORT, event.cohort.public_id, base))
    if program_id is not None:
        grouping.append(_object(ObjectType.PROGRAM, program_id, base))
    if event.grouping_type and event.grouping_id is not None:
        reference = _object(event.grouping_type, event.grouping_id, base)
        if reference not in grouping:
            grouping.append(reference)
    if grouping:
        activities["grouping"] = grouping
    if activities:
        context["contextActivities"] = activities
    extensions = {
        _iri(RESULT_EXTENSION_IRIS[ResultKey(key)], base): value
        for key, value in event.result.items()
        if key in CONTEXT_EXTENSION_KEYS
    }
    if extensions:
        context["extensions"] = extensions
    return context


def _result(event: Event, base: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    extensions: dict[str, Any] = {}
    for key, value in event.result.items():
        if key == ResultKey.COMPLETION:
            result["completion"] = bool(value)
        elif key not in CONTEXT_EXTENSION_KEYS:
            extensions[_iri(RESULT_EXTENSION_IRIS[ResultKey(key)], base)] = value
    if extensions:
        result["extensions"] = extensions
    return result


def _apply_video_profile(statement: dict[str, Any], event: Event, actor_id: object) -> None:
    statement["object"]["definition"] = {"type": VIDEO_ACTIVITY_TYPE}
    context = statement.setdefault("context", {})
    activities = context.setdefault("contextActivities", {})
    activities["category"] = [
        {
            "objectType": "Activity",
            "id": VIDEO_PROFILE,
            "definition": {"type": PROFILE_ACTIVITY_TYPE},
        }
    ]
    context.setdefault("extensions", {})[VIDEO_SESSION_ID] = _session_id(event, actor_id)
    result = statement.setdefault("result", {})
    length = event.result.get(ResultKey.LENGTH)
    if length:
        position = float(event.result[ResultKey.POSITION])
        progress = round(min(position / float(length), 1.0), 3)
        result.setdefault("extensions", {})[VIDEO_PROGRESS] = progress


def statement_for(
    event: Event,
    *,
    base_url: str,
    registration: uuid.UUID | None = None,
    activity_kind: str | None = None,
) -> dict[str, Any]:
    """The event as an xAPI 1.0.3 statement (a dict ready for JSON), with IRIs of the
    deployment at `base_url` (scheme and host, e.g. "https://rapport.example.com").

    The statement's id is the event's public id, so sending it again (a retry, a worker killed
    after the LRS answered) gives the LRS the same statement to deduplicate, never a second one.
    The actor is an account IFI (the person's opaque public id), never an email or a name. The
    context holds the enrolment as `registration` (the event's own, else `registration`, the
    seat the forwarder found for the actor in the event's cohort) and the programme and cohort
    in `contextActivities.grouping`. `activity_kind` (programs.ActivityKind's value of the
    object, when it is an activity) makes a video's played, paused and completed meet the xAPI
    video profile (`video_profile_applies`). Reads `event.actor`, `event.cohort` and
    `event.cohort.program`: load them with select_related to avoid a query per event.
    """
    base = base_url.rstrip("/")
    verb = Verb(event.verb)
    actor_id = event.actor.public_id
    statement: dict[str, Any] = {
        "id": str(event.public_id),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": base, "name": str(actor_id)},
        },
        "verb": {"id": _iri(VERB_IRIS[verb], base), "display": {"en-US": verb.value}},
        "object": _object(event.object_type, event.object_id, base),
        "timestamp": event.timestamp.isoformat(),
        "version": "1.0.3",
    }
    cohort = event.cohort if event.cohort_id is not None else None
    program_id = cohort.program.public_id if cohort is not None else None
    context = _context(
        event, base, registration=event.registration or registration, program_id=program_id
    )
    if context:
        statement["context"] = context
    if result := _result(event, base):
        statement["result"] = result
    if video_profile_applies(event, activity_kind):
        _apply_video_profile(statement, event, actor_id)
    return statement
