"""Events shaped as xAPI 1.0.3 statements, ready to forward to a Learning Record Store.

The actor is identified by an opaque account (the person's public id), never by email or name,
so a statement reveals nothing a Learning Record Store does not need.

IRIs come from the published vocabularies (ADL, the xAPI video profile, Activity Streams, the
TinCan registry) where one fits. Where none does, the IRI is the deployment's own
(`{base_url}/xapi/...`), as the object and result-extension IRIs already are.
"""

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
    Verb.ASKED: f"{ADL}asked",
    Verb.UPVOTED: f"{TINCAN}voted-up",
    Verb.ANSWERED: f"{ADL}answered",
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
    ObjectType.QUESTION: "http://adlnet.gov/expapi/activities/question",
}

# Where each result key goes: the xAPI `completion` property, or an extension IRI.
RESULT_EXTENSION_IRIS: dict[ResultKey, str] = {
    ResultKey.POSITION: "https://w3id.org/xapi/video/extensions/time",
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


def _context(event: Event, base: str) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if event.registration is not None:
        context["registration"] = str(event.registration)
    activities: dict[str, list[dict[str, Any]]] = {}
    if event.parent_type and event.parent_id is not None:
        activities["parent"] = [_object(event.parent_type, event.parent_id, base)]
    grouping = []
    if event.cohort is not None:
        grouping.append(_object(ObjectType.COHORT, event.cohort.public_id, base))
    if event.grouping_type and event.grouping_id is not None:
        grouping.append(_object(event.grouping_type, event.grouping_id, base))
    if grouping:
        activities["grouping"] = grouping
    if activities:
        context["contextActivities"] = activities
    return context


def statement_for(event: Event, *, base_url: str) -> dict[str, Any]:
    """The event as an xAPI 1.0.3 statement (a dict ready for JSON), with IRIs of the
    deployment at `base_url` (scheme and host, e.g. "https://rapport.example.com")."""
    base = base_url.rstrip("/")
    verb = Verb(event.verb)
    statement: dict[str, Any] = {
        "id": str(event.public_id),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": base, "name": str(event.actor.public_id)},
        },
        "verb": {"id": _iri(VERB_IRIS[verb], base), "display": {"en-US": verb.value}},
        "object": _object(event.object_type, event.object_id, base),
        "timestamp": event.timestamp.isoformat(),
    }
    if context := _context(event, base):
        statement["context"] = context
    if event.result:
        result: dict[str, Any] = {}
        extensions: dict[str, Any] = {}
        for key, value in event.result.items():
            if key == ResultKey.COMPLETION:
                result["completion"] = bool(value)
            else:
                extensions[_iri(RESULT_EXTENSION_IRIS[ResultKey(key)], base)] = value
        if extensions:
            result["extensions"] = extensions
        statement["result"] = result
    return statement
