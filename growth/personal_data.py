"""What the growth app holds about a person, for their export and their erasure
(accounts.personal_data). Everything here is the person's own writing: the export gives it back
decrypted and readable; the erasure deletes it all (no aggregate keeps a copy: the
organisation's emotion trends are computed from the rows, so erased check-ins simply stop
counting)."""

from typing import TYPE_CHECKING, Any

from growth.forms import CHARTER_SECTIONS, DEBRIEF_QUESTIONS, PLAN_QUESTIONS
from growth.models import (
    Belief,
    Charter,
    ConversationDebrief,
    ConversationPlan,
    Goal,
    GoalStatus,
    GrowthProfile,
    MoodCheckIn,
    Routine,
    RoutineCheckIn,
)

if TYPE_CHECKING:
    from accounts.models import User


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_growth(user: "User") -> list[dict[str, Any]]:
    """The person's growth rows as JSON-serialisable dicts, each with a `kind`."""
    out: list[dict[str, Any]] = []
    for profile in GrowthProfile.objects.filter(owner=user).prefetch_related(
        "behaviours__competency"
    ):
        out.append(
            {
                "kind": "whats_in_it_for_me",
                "text": profile.whats_in_it_for_me,
                "behaviours_picked": [
                    f"{b.competency.name}: {b.text}" for b in profile.behaviours.all()
                ],
            }
        )
    statuses = dict(GoalStatus.choices)
    for goal in Goal.objects.filter(owner=user).select_related("behaviour__competency"):
        out.append(
            {
                "kind": "goal",
                "title": goal.title,
                "why": goal.why,
                "how_i_will_know": goal.how_i_will_know,
                "behaviour": (
                    f"{goal.behaviour.competency.name}: {goal.behaviour.text}"
                    if goal.behaviour
                    else None
                ),
                "target_date": _iso(goal.target_date),
                "status": str(statuses[goal.status]),
                "created_at": _iso(goal.created_at),
            }
        )
    check_ins: dict[int, list[RoutineCheckIn]] = {}
    for check_in in RoutineCheckIn.objects.filter(owner=user).order_by("period"):
        check_ins.setdefault(check_in.routine_id, []).append(check_in)
    routines: dict[int, list[Routine]] = {}
    for routine in Routine.objects.filter(owner=user):
        routines.setdefault(routine.belief_id, []).append(routine)
    for belief in Belief.objects.filter(owner=user):
        out.append(
            {
                "kind": "belief",
                "belief": belief.belief,
                "principle": belief.principle,
                "routines": [
                    {
                        "routine": r.text,
                        "cadence": r.get_cadence_display(),
                        "check_ins": [
                            {"period": _iso(c.period), "done": c.done, "note": c.note}
                            for c in check_ins.get(r.pk, [])
                        ],
                    }
                    for r in routines.get(belief.pk, [])
                ],
            }
        )
    for charter in Charter.objects.filter(owner=user):
        out.append(
            {"kind": "team_charter", "team": charter.team}
            | {name: getattr(charter, name) for name, _l, _s in CHARTER_SECTIONS}
        )
    for plan in ConversationPlan.objects.filter(owner=user).select_related("debrief"):
        debrief: ConversationDebrief | None = getattr(plan, "debrief", None)
        out.append(
            {"kind": "conversation_plan", "subject": plan.subject}
            | {name: getattr(plan, name) for name, _l, _h in PLAN_QUESTIONS}
            | {"planned_for": _iso(plan.planned_for)}
            | {
                "debrief": {name: getattr(debrief, name) for name, _l, _h in DEBRIEF_QUESTIONS}
                if debrief
                else None
            }
        )
    for mood in MoodCheckIn.objects.filter(owner=user).order_by("day", "created_at"):
        out.append(
            {
                "kind": "emotion_check_in",
                "day": _iso(mood.day),
                "feeling": mood.feeling,
                "energy": mood.energy,
                "word": mood.word,
                "note": mood.note,
                "shared_with_coach": mood.shared_with_coach,
            }
        )
    return out


def erase_growth(user: "User") -> int:
    """Delete every growth row of the person; the number of rows deleted (0 the second time)."""
    total = 0
    for model in (
        RoutineCheckIn,
        Routine,
        Belief,
        ConversationDebrief,
        ConversationPlan,
        Charter,
        Goal,
        MoodCheckIn,
        GrowthProfile,
    ):
        deleted, _by_model = model.objects.filter(owner=user).delete()
        total += deleted
    return total
