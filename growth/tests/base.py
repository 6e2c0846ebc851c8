"""Shared set-up of the growth tests: the personas, their organisation's default leadership
model (organizations.frameworks), and items of alice's made through growth.actions."""

import uuid
from typing import Any

from growth import actions
from growth.models import Cadence
from organizations.actions import seed_default_framework
from organizations.models import Behaviour
from rapport.lib.timezones import local_today
from rapport.testing import PersonaTestCase

# Sentences of alice's that must never reach anyone else (and never sit in plain text on disk).
SECRET = {
    "goal": "Stop rescuing Priya's project at midnight",
    "why": "My team stops growing when I take over",
    "belief": "If I am not online people will think I do not care",
    "principle": "Care shows in attention not in availability",
    "routine": "Close my laptop at six and say so in the team chat",
    "note": "Hard evening but I held the line",
    "charter": "Blue Harbour logistics crew",
    "how_we_meet": "Cameras on for the first five minutes, always",
    "subject": "Talking about the missed handover with my deputy",
    "opening": "I want us to find a way that works for both of us",
    "debrief": "I noticed my shoulders drop when I stopped talking",
    "wiifm": "I want my people to come to me before things go wrong",
    "word": "frayed",
    "mood_note": "Three back-to-back calls and no lunch",
}


class GrowthTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed_default_framework(cls.org)
        seed_default_framework(cls.other_org)
        cls.behaviour = Behaviour.objects.filter(organization=cls.org).first()
        cls.foreign_behaviour = Behaviour.objects.filter(organization=cls.other_org).first()

    def make_alices_items(self) -> dict[str, Any]:
        """One of each of alice's growth items, holding the SECRET sentences."""
        return make_items(self.alice, self.behaviour)


def make_items(alice: Any, behaviour: Behaviour | None) -> dict[str, Any]:
    """One of each growth item of `alice`'s, made through growth.actions, holding the SECRET
    sentences; their public ids by URL parameter name."""
    today = local_today(alice.time_zone)
    actions.save_whats_in_it_for_me(alice, text=SECRET["wiifm"])
    goal, _ = actions.create_goal(
        alice,
        submission=uuid.uuid4(),
        title=SECRET["goal"],
        why=SECRET["why"],
        behaviour=behaviour,
    )
    belief, _ = actions.create_belief(
        alice, submission=uuid.uuid4(), belief=SECRET["belief"], principle=SECRET["principle"]
    )
    routine, _ = actions.add_routine(
        alice,
        belief=belief,
        submission=uuid.uuid4(),
        text=SECRET["routine"],
        cadence=Cadence.DAILY,
    )
    actions.check_in_routine(alice, routine=routine, period=today, done=True, note=SECRET["note"])
    charter, _ = actions.create_charter(
        alice,
        submission=uuid.uuid4(),
        team=SECRET["charter"],
        how_we_meet=SECRET["how_we_meet"],
    )
    plan, _ = actions.create_conversation_plan(
        alice,
        submission=uuid.uuid4(),
        subject=SECRET["subject"],
        opening_line=SECRET["opening"],
    )
    actions.save_debrief(alice, plan=plan, what_i_noticed=SECRET["debrief"])
    actions.record_mood(
        alice,
        submission=uuid.uuid4(),
        day=today,
        feeling=2,
        energy=1,
        word=SECRET["word"],
        note=SECRET["mood_note"],
    )
    return {
        "goal_id": goal.public_id,
        "belief_id": belief.public_id,
        "routine_id": routine.public_id,
        "charter_id": charter.public_id,
        "plan_id": plan.public_id,
    }
