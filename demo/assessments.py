"""The demo's assessments: the demo cohort's baseline round answered about the demo learner —
her own ratings, five peers she asked (the demo peer among them) with warm, specific
situation-behaviour-impact comments, and her coach's — and last year's cohort of the same
programme with its baseline, end and year-later rounds answered, for the programme dashboard's
capability change and its year-over-year picture.

The demo cohort is mid-programme, so its end-of-programme round keeps the date
`assessments.tasks.schedule_rounds` gives it, in the programme's last week: the demo learner's
My growth shows her baseline (what she, her peers and her coach saw) and when the end round
opens. Every round keeps its scheduled dates. Rows are written directly (no notifications, no
emails); scores are on the 1-5 scale, with some growth and some not.
"""

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from assessments.models import (
    AssessmentRound,
    PeerInvitation,
    Rating,
    Relation,
    Response,
    RoundKind,
)
from assessments.tasks import round_dates, schedule_rounds
from cohorts.models import Cohort, Enrollment, EnrollmentRole
from organizations.models import Behaviour

# One score per behaviour of the default model, in its order: listen fully (3), give effective
# feedback (3), manage conflict constructively (3), communicate clearly (3), build genuine
# relationships (3). The learner rates herself a little higher than others see her at first.
SELF = {RoundKind.BASELINE: (4, 3, 3, 2, 3, 2, 2, 2, 3, 4, 3, 3, 4, 4, 3)}
PEERS = {RoundKind.BASELINE: (3, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 2, 4, 4, 3)}
COACH = {RoundKind.BASELINE: (3, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 3)}
# Each peer's own lean, added to the group's scores (clipped to the scale); None: not seen.
PEER_LEAN = (
    (0, 1, 0, 0, -1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0),
    (1, 0, 0, 1, 0, 0, -1, 0, 0, 1, 0, 0, 0, 1, 0),
    (0, 0, 1, 0, 0, None, 0, 0, 1, 0, -1, 0, 1, 0, 0),
    (-1, 0, 0, 0, 1, 0, 0, 0, None, 0, 0, 0, 0, -1, 1),
    (0, 0, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 0, 0),
)

# (situation, behaviour, impact) for a strength and a growth edge: what each peer saw.
PEER_WORDS = {
    RoundKind.BASELINE: (
        (
            (
                "Our cross-site call about the delayed safety report.",
                "You let Ravi finish his whole explanation before you said anything.",
                "He told me afterwards it was the first time he felt safe raising a problem early.",
            ),
            (
                "The Thursday planning meeting.",
                "You answered emails on your laptop while two of us presented.",
                "We sped up and skipped the part we most needed your view on.",
            ),
        ),
        (
            (
                "When the launch plan changed at short notice.",
                "You wrote one clear message: what changed, why, and what each of us should do.",
                "Nobody had to chase for details and we re-planned in a day.",
            ),
            (
                "My first review of the medical information pack.",
                "You said it 'needed more work' without saying which parts.",
                "I rewrote everything, including the sections that were fine.",
            ),
        ),
        (
            (
                "Your one-to-ones with the new starters.",
                "You asked about their families and remembered the answers the next week.",
                "They talk about you as the reason they settled in so quickly.",
            ),
            (
                "The disagreement between Lena and Tomás about priorities.",
                "You changed the subject when it came up in the team meeting.",
                "It came back twice as big a fortnight later.",
            ),
        ),
        (
            (
                "The audit debrief.",
                "You thanked people by name for specific pieces of work.",
                "The team left the room proud rather than relieved.",
            ),
            (
                "Feedback on my presentation to the country leads.",
                "You gave it three weeks later, in a corridor.",
                "I could not use it any more; I wish I had heard it the same day.",
            ),
        ),
        (
            (
                "A late-night escalation from the Lagos office.",
                "You called back personally and listened before proposing anything.",
                "The team there felt taken seriously, not managed.",
            ),
            (
                "Decisions in our weekly call.",
                "You summarised the decision but not who would do what by when.",
                "Two of us did the same task and one thing was missed.",
            ),
        ),
    ),
}
COACH_WORDS = {
    RoundKind.BASELINE: (
        (
            "Our first coaching conversation.",
            "You were candid about what you find hard, without excusing it.",
            "It let us start on what matters instead of on what looks good.",
        ),
        (
            "The story you told about the budget disagreement.",
            "You described avoiding the conversation as 'keeping the peace'.",
            "Your team is carrying the cost of a conflict nobody names.",
        ),
    ),
}

# Last year's cohort: enough people that the programme dashboard shows capability change for
# the cohort and its larger groups, and suppresses the smaller ones (under five people).
PREVIOUS_COHORT_SIZE = 30
# Peers each of last year's learners asked: most reach the three answers that let the peers'
# ratings count, in most rounds.
PREVIOUS_PEERS = 4
# How likely each rater was to answer each round: fewer as the programme recedes. (Had every
# learner answered every round, "everyone in the group" would be a count the small-group rule
# hides, and the dashboard would have nothing to show.)
ANSWERED = {
    Relation.SELF: {RoundKind.BASELINE: 0.9, RoundKind.END: 0.8, RoundKind.YEAR_LATER: 0.7},
    Relation.COACH: {RoundKind.BASELINE: 0.95, RoundKind.END: 0.8, RoundKind.YEAR_LATER: 0.7},
    Relation.PEER: {RoundKind.BASELINE: 0.8, RoundKind.END: 0.8, RoundKind.YEAR_LATER: 0.8},
}


def _clip(value: int) -> int:
    return max(1, min(5, value))


def _write(
    round_: AssessmentRound,
    seat: Enrollment,
    rater_id: int,
    relation: Relation,
    scores: Sequence[int | None],
    behaviours: Sequence[Behaviour],
    words: tuple[tuple[str, str, str], tuple[str, str, str]] | None,
    when: datetime,
) -> Response:
    texts = {}
    if words is not None:
        (s_sit, s_beh, s_imp), (e_sit, e_beh, e_imp) = words
        texts = {
            "strength_situation": s_sit,
            "strength_behaviour": s_beh,
            "strength_impact": s_imp,
            "edge_situation": e_sit,
            "edge_behaviour": e_beh,
            "edge_impact": e_imp,
        }
    response = Response.objects.create(
        round=round_, subject=seat, rater_id=rater_id, relation=relation, **texts
    )
    Response.objects.filter(pk=response.pk).update(submitted_at=when)
    Rating.objects.bulk_create(
        Rating(response=response, behaviour=b, score=score)
        for b, score in zip(behaviours, scores, strict=False)
    )
    return response


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


# What Mei Tanaka (the demo's learner of last year's cohort, `alumna`) heard at the end of the
# programme and a year later, from two of her peers and from her coach: (strength, growth edge),
# each as (situation, behaviour, impact).
ALUMNA_WORDS: dict[RoundKind, tuple[tuple[tuple[str, str, str], tuple[str, str, str]], ...]] = {
    RoundKind.END: (
        (
            (
                "The Osaka pricing review in March, when the numbers came in under plan.",
                "You opened by asking each of us what we had seen on the ground before you "
                "showed a single chart.",
                "Two of the quieter account managers spoke first, and the fix we chose came "
                "from one of them.",
            ),
            (
                "Our one-to-ones in the busy weeks before the fiscal year end.",
                "You moved them twice and then cancelled one by message.",
                "I started saving problems for the team call, where they were harder to talk "
                "about.",
            ),
        ),
        (
            (
                "The handover when Kenji joined the team mid-quarter.",
                "You wrote down what you expected of him in the first month and asked him to "
                "add what he expected of you.",
                "He told me it was the first time a manager had asked. He settled in fast.",
            ),
            (
                "Team meetings when a decision is already made.",
                "You sometimes ask for views after you have already said what you will do.",
                "People stop offering ideas in those meetings; saying plainly that it is decided "
                "would be kinder.",
            ),
        ),
        (
            (
                "Our coaching sessions from week four on.",
                "You came with one real conversation you had tried, what you said, and what "
                "happened next.",
                "We could work on your practice rather than on theory, and you changed how you "
                "open hard conversations within a month.",
            ),
            (
                "When a conversation you had planned went off script.",
                "You tended to drop the plan and fix the problem yourself.",
                "The other person left with your solution rather than theirs; pausing to ask "
                "what they would do keeps the ownership with them.",
            ),
        ),
    ),
    RoundKind.YEAR_LATER: (
        (
            (
                "The reorganisation of the Kansai accounts last autumn.",
                "You told the team what you knew, what you did not know yet, and when you "
                "would tell us more, and you kept every one of those dates.",
                "Nobody left during the change, and rumours died down within a week.",
            ),
            (
                "Feedback on written proposals.",
                "Your comments are careful but arrive in one long message at the end.",
                "Smaller notes earlier would save a rewrite or two.",
            ),
        ),
        (
            (
                "Monthly one-to-ones this year.",
                "You have not moved one since January, and you start by asking what I want to "
                "use the time for.",
                "I bring the difficult things now, early, instead of letting them grow.",
            ),
            (
                "Cross-team projects with the Tokyo office.",
                "You take on their requests yourself rather than passing them to us.",
                "Some of us would like the chance to build those relationships too.",
            ),
        ),
        (
            (
                "Our follow-up session a year on.",
                "You brought notes from three conversations you had let the other person lead.",
                "You could name what changed for them and for you; that is the habit we set out "
                "to build.",
            ),
            (
                "Your own workload in peak season.",
                "You still absorb extra work quietly when the team is stretched.",
                "Saying it out loud earlier would let others help, and model the openness you "
                "ask of them.",
            ),
        ),
    ),
}


def seed_assessments(
    cohort: Cohort,
    *,
    previous: Cohort,
    learner: str,
    peer: str,
    coach: str,
    alumna: str,
    now: datetime,
) -> dict[str, int]:
    """The demo cohort's baseline round answered about `learner` (by herself, `peer` and four
    more peers of the cohort, and `coach`), and `previous` (last year's cohort of the same
    programme, seated) with every round that has opened answered by its learners, their peers
    and the coach — `alumna` (a learner of `previous`) by every rater in every round, with
    comments at the end and a year later. Returns counts by kind."""
    today = now.date()
    schedule_rounds(today=today)
    behaviours = list(
        Behaviour.objects.filter(organization=cohort.organization).order_by(
            "competency__position", "competency__name", "position"
        )
    )
    amara = User.objects.get(email=learner)
    grace = User.objects.get(email=coach)
    seat = Enrollment.objects.get(cohort=cohort, user=amara)
    rounds = {r.kind: r for r in AssessmentRound.objects.filter(cohort=cohort)}
    others = list(
        Enrollment.objects.filter(cohort=cohort, role=EnrollmentRole.LEARNER)
        .exclude(user__email__in=[learner, peer])
        .order_by("pk")
        .values_list("user_id", flat=True)[:4]
    )
    peer_ids = [User.objects.get(email=peer).pk, *others]
    for rater_id in peer_ids:
        PeerInvitation.objects.create(subject=seat, rater_id=rater_id)
    PeerInvitation.objects.filter(subject=seat).update(
        invited_at=_at(rounds[RoundKind.BASELINE].opens_on, 9)
    )
    kind = RoundKind.BASELINE  # the end round opens in the programme's last week
    round_ = rounds[kind]
    day = round_.opens_on + timedelta(days=2)
    _write(round_, seat, amara.pk, Relation.SELF, SELF[kind], behaviours, None, _at(day, 8))
    _write(
        round_, seat, grace.pk, Relation.COACH, COACH[kind], behaviours, COACH_WORDS[kind],
        _at(day + timedelta(days=3), 16),
    )  # fmt: skip
    for n, rater_id in enumerate(peer_ids):
        scores = [
            None if lean is None else _clip(base + lean)
            for base, lean in zip(PEERS[kind], PEER_LEAN[n], strict=True)
        ]
        _write(
            round_, seat, rater_id, Relation.PEER, scores, behaviours,
            PEER_WORDS[kind][n], _at(day + timedelta(days=1 + n), 10 + n),
        )  # fmt: skip
    count = 2 + len(peer_ids)
    mei = User.objects.get(email=alumna)
    count += _previous_year(previous, behaviours, coach=grace, alumna=mei, today=today)
    # The rounds that have opened were announced at the time: run_periodic does not announce
    # them again (the second cohort's open baseline, say, is announced by it as usual).
    AssessmentRound.objects.filter(
        organization=cohort.organization, opens_on__lte=today, closes_on__lt=today
    ).update(opened_notice_at=now, reminded_at=now)
    AssessmentRound.objects.filter(cohort=previous).update(opened_notice_at=now)
    return {"responses": count, "peers_asked": len(peer_ids)}


def previous_year_start(today: date, weeks: int) -> date:
    """The Monday on which last year's cohort of a `weeks`-week programme started, so that its
    year-later round opened two to three weeks before `today`."""
    end_offset = round_dates(today, weeks)[2].opens_on - today  # start -> year-later opening
    start = today - end_offset - timedelta(days=14)
    return start - timedelta(days=start.weekday())


def _previous_year(
    previous: Cohort, behaviours: Sequence[Behaviour], *, coach: User, alumna: User, today: date
) -> int:
    """Last year's cohort (its people seated by the demo seed): each learner asked
    PREVIOUS_PEERS peers; every round that has opened answered by most of them (about `alumna`,
    by all of them, two peers and the coach with comments after the baseline), with growth
    from baseline to end that mostly held a year later — more in the eyes of peers and the
    coach than in people's own, who often rate themselves more strictly once they know what to
    look for. Returns the responses written."""
    schedule_rounds(today=today)
    rounds = {r.kind: r for r in AssessmentRound.objects.filter(cohort=previous)}
    # In the seats' order (pk), on every database: each seat's peers and its draws below follow
    # from its place, and without an ORDER BY PostgreSQL returns its heap order, where a seat
    # updated since (its completed_count) has moved to the end; SQLite returns rowid order.
    seats = list(
        Enrollment.objects.filter(cohort=previous, role=EnrollmentRole.LEARNER).order_by("pk")
    )
    rng = random.Random(2025)
    written = 0
    # Typical growth over the baseline, in scale points, as others see it and as people see
    # themselves: self-ratings start higher and grow less (people rate themselves more strictly
    # once they know what to look for).
    lift = {RoundKind.BASELINE: 0.0, RoundKind.END: 0.9, RoundKind.YEAR_LATER: 0.7}
    own = {RoundKind.BASELINE: 0.0, RoundKind.END: 0.25, RoundKind.YEAR_LATER: 0.35}
    own_start = 0.3
    for n, subject in enumerate(seats):
        raters = [seats[(n + k) % len(seats)].user_id for k in range(1, PREVIOUS_PEERS + 1)]
        for rater_id in raters:
            PeerInvitation.objects.create(subject=subject, rater_id=rater_id)
        base = [rng.choice((2, 2, 3, 3, 3, 4)) for _ in behaviours]
        # How much this person grew, as a share of the typical growth: people differ.
        growth = rng.gauss(1.0, 0.7)
        for kind, round_ in rounds.items():
            if round_.opens_on > today:
                continue
            day = round_.opens_on + timedelta(days=rng.randint(0, 4))
            is_alumna = subject.user_id == alumna.pk
            said_to_her = list(ALUMNA_WORDS.get(RoundKind(kind), ())) if is_alumna else []
            coach_words = said_to_her.pop() if said_to_her else None  # the last: the coach's
            for relation, rater_id in [
                (Relation.SELF, subject.user_id),
                (Relation.COACH, coach.pk),
                *[(Relation.PEER, r) for r in raters],
            ]:
                if rng.random() > ANSWERED[relation][RoundKind(kind)] and not is_alumna:
                    continue  # not everyone answers every round
                is_self = relation == Relation.SELF
                typical = (own if is_self else lift)[RoundKind(kind)]
                # The person's growth, plus each rater's own lean in each round.
                step = own_start * is_self + typical * growth + rng.gauss(0.0, 0.3)
                scores = [_clip(round(b + step + rng.choice((-1, 0, 0, 0, 1)) * 0.6)) for b in base]
                said = None
                if relation == Relation.COACH:
                    said = coach_words
                elif relation == Relation.PEER and said_to_her:
                    said = said_to_her.pop(0)
                _write(round_, subject, rater_id, relation, scores, behaviours, said, _at(day, 11))
                written += 1
    return written
