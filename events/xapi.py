"""Events shaped as xAPI 1.0.3 statements, ready to forward to a Learning Record Store.

The actor is identified by an opaque account (the person's public id), never by email or name,
so a statement reveals nothing a Learning Record Store does not need.
"""

from typing import Any

from events.models import Event, Verb

VERB_IRIS = {
    Verb.VIEWED: "http://id.tincanapi.com/verb/viewed",
    Verb.PLAYED: "https://w3id.org/xapi/video/verbs/played",
    Verb.PAUSED: "https://w3id.org/xapi/video/verbs/paused",
    Verb.PROGRESSED: "http://adlnet.gov/expapi/verbs/progressed",
    Verb.COMPLETED: "http://adlnet.gov/expapi/verbs/completed",
    Verb.LAUNCHED: "http://adlnet.gov/expapi/verbs/launched",
    Verb.DOWNLOADED: "http://id.tincanapi.com/verb/downloaded",
}


def statement_for(event: Event, *, base_url: str) -> dict[str, Any]:
    base = base_url.rstrip("/")
    statement: dict[str, Any] = {
        "id": str(event.public_id),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": base, "name": str(event.actor.public_id)},
        },
        "verb": {"id": VERB_IRIS[Verb(event.verb)], "display": {"en-US": event.verb}},
        "object": {
            "objectType": "Activity",
            "id": f"{base}/xapi/{event.object_type}/{event.object_id}",
        },
        "timestamp": event.timestamp.isoformat(),
    }
    if event.cohort is not None:
        statement["context"] = {
            "contextActivities": {
                "grouping": [{"id": f"{base}/xapi/cohort/{event.cohort.public_id}"}]
            }
        }
    if event.result:
        result: dict[str, Any] = {}
        if "completion" in event.result:
            result["completion"] = bool(event.result["completion"])
        extensions = {
            f"{base}/xapi/result/{key}": value
            for key, value in event.result.items()
            if key != "completion"
        }
        if extensions:
            result["extensions"] = extensions
        statement["result"] = result
    return statement
