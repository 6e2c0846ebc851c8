"""Writes of the design review: accepting a rewrite, dismissing a finding, signing off a
programme. Each is atomic, records its `Decision` or `SignOff` (the audit log) and an `Event`
(verbs `revised`, `dismissed`, `approved`; no text in the event: the words and reasons stay in
the audit log, which only designers and admins read).

A decision is made on the text the designer saw: the form carries the digest of that text and
the finding's offsets, and the action re-reviews the current text; if either changed, it raises
`StaleFinding` and changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from design_review.checker import Finding, review
from design_review.models import Decision, DecisionKind, SignOff, reading_grade_of
from design_review.review import context_for, digest
from events.actions import record_event
from events.models import ObjectType, Verb
from programs.models import Activity, Program


class StaleFinding(Exception):
    """The text changed since the review the designer saw, or the finding is gone."""


def _current_finding(
    activity: Activity,
    *,
    field: str,
    code: str,
    start: int,
    end: int,
    seen_digest: str,
    max_grade: float,
) -> tuple[str, Finding]:
    text = getattr(activity, field) or ""
    if digest(text) != seen_digest:
        raise StaleFinding("The text changed since this review. Here is the review of it now.")
    # The same reading level as the panel the designer saw (the organisation's).
    for f in review(text, context=context_for(activity, max_grade=max_grade)).findings:
        if (f.code, f.start, f.end) == (code, start, end):
            return text, f
    raise StaleFinding("This finding is no longer in the text.")


def accept_rewrite(
    user: User, *, activity: Activity, field: str, code: str, start: int, end: int, seen: str
) -> Decision:
    """Replace the finding's sentence with its proposed rewrite, save the field, and record the
    decision and a `revised` event. Raises StaleFinding (nothing changed) when the text or the
    finding changed, ValueError when the finding has no rewrite, ValidationError when the new
    text does not fit the field (a title too long)."""
    with transaction.atomic():
        locked = Activity.objects.select_for_update().select_related("week").get(pk=activity.pk)
        text, finding = _current_finding(
            locked,
            field=field,
            code=code,
            start=start,
            end=end,
            seen_digest=seen,
            max_grade=reading_grade_of(activity.organization),
        )
        if finding.rewrite is None:
            raise ValueError("This finding has no rewrite to accept; edit the text instead.")
        new_text = text[: finding.rewrite_start] + finding.rewrite + text[finding.rewrite_end :]
        setattr(locked, field, new_text.strip() if field != "body" else new_text)
        locked.full_clean(exclude=[f.name for f in Activity._meta.fields if f.name != field])
        locked.save(update_fields=[field])
        decision = Decision.objects.create(
            activity=locked,
            field=field,
            code=code,
            words=finding.words,
            kind=DecisionKind.ACCEPTED,
            rewrite=finding.rewrite,
            decided_by=user,
        )
        record_event(
            user, verb=Verb.REVISED, object_type=ObjectType.ACTIVITY, object_id=locked.public_id
        )
    return decision


def dismiss_finding(
    user: User,
    *,
    activity: Activity,
    field: str,
    code: str,
    start: int,
    end: int,
    seen: str,
    reason: str,
) -> Decision:
    """Dismiss a finding with a reason (required): the same words no longer count as open.
    Records the decision and a `dismissed` event. Raises StaleFinding as `accept_rewrite`."""
    if not reason.strip():
        raise ValidationError("A dismissal needs a reason.")
    with transaction.atomic():
        _, finding = _current_finding(
            activity,
            field=field,
            code=code,
            start=start,
            end=end,
            seen_digest=seen,
            max_grade=reading_grade_of(activity.organization),
        )
        decision = Decision.objects.create(
            activity=activity,
            field=field,
            code=code,
            words=finding.words,
            kind=DecisionKind.DISMISSED,
            reason=reason.strip(),
            decided_by=user,
        )
        record_event(
            user,
            verb=Verb.DISMISSED,
            object_type=ObjectType.ACTIVITY,
            object_id=activity.public_id,
        )
    return decision


def sign_off(user: User, *, program: Program, open_findings: int, reason: str) -> SignOff:
    """Record that the programme's review is signed off as ready to publish, with the count of
    findings still open and, when any are, the reason (required: ValidationError without)."""
    if open_findings and not reason.strip():
        raise ValidationError("Signing off with open findings needs a reason.")
    with transaction.atomic():
        signed = SignOff.objects.create(
            program=program, open_findings=open_findings, reason=reason.strip(), signed_by=user
        )
        record_event(
            user, verb=Verb.APPROVED, object_type=ObjectType.PROGRAM, object_id=program.public_id
        )
    return signed
