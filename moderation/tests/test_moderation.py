"""Reports, the moderators' queue and decisions, blocking: as the people the rules protect
would attack them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Block, blocker_ids_of
from discussions.actions import community_thread, create_post
from discussions.models import Post
from moderation import actions
from moderation.models import (
    MAX_DETAILS_LENGTH,
    ActionKind,
    AppendOnlyError,
    ModerationAction,
    Report,
    ReportReason,
    ReportState,
)
from rapport.testing import PersonaTestCase


class ModerationTestCase(PersonaTestCase):
    """Bob posts in cohort A's community space; alice, fay and carol (the coach) read it."""

    post: Post

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.thread = community_thread(cls.cohort_a)
        cls.post = create_post(
            cls.thread, author=cls.bob, body="Honestly, **you** always overshare in here."
        )

    def report(self, reporter: object = None, **fields: object) -> Report:
        return actions.report_post(
            self.post,
            reporter=reporter or self.alice,  # type: ignore[arg-type]
            reason=str(fields.get("reason", ReportReason.VULNERABILITY)),
            details=str(fields.get("details", "He keeps doing this to Fay.")),
        )

    def report_url(self) -> str:
        return reverse("moderation:report", args=[self.post.public_id])


class ReportingTests(ModerationTestCase):
    def test_a_learner_reports_a_post_and_the_moderators_have_it(self) -> None:
        self.client.force_login(self.alice)
        form = self.client.get(self.report_url())
        self.assertContains(form, "Uses someone&#39;s vulnerability against them")
        self.assertContains(form, "Who will see this")
        self.assertContains(form, "never their line manager")
        response = self.client.post(
            self.report_url(),
            {"reason": "vulnerability", "details": "Not kind.", "anonymous_to_peers": "on"},
        )
        self.assertRedirects(response, reverse("moderation:mine"))
        report = Report.objects.get()
        self.assertEqual(
            (report.reporter, report.reason, report.state, report.anonymous_to_peers),
            (self.alice, ReportReason.VULNERABILITY, ReportState.OPEN, True),
        )
        for moderator in (self.carol, self.adam):
            self.client.force_login(moderator)
            queue = self.client.get(reverse("moderation:queue"))
            self.assertContains(queue, "always overshare")  # the reported post's text
            self.assertContains(queue, "Reported by Alice")  # moderators can follow up

    def test_reporting_twice_says_so_and_changes_nothing(self) -> None:
        self.report(details="First")
        self.client.force_login(self.alice)
        response = self.client.post(self.report_url(), {"reason": "spam", "details": "Second"})
        self.assertContains(response, "already reported", status_code=400)
        self.assertEqual(
            list(Report.objects.values_list("reason", "details")), [("vulnerability", "First")]
        )

    def test_bad_input_is_a_clear_error_and_nothing_is_made(self) -> None:
        self.client.force_login(self.alice)
        cases = [
            ({"reason": "because"}, "not one of the reasons"),
            ({}, "Choose the reason"),
            ({"reason": "spam", "details": "x" * (MAX_DETAILS_LENGTH + 1)}, "at most"),
        ]
        for data, message in cases:
            response = self.client.post(self.report_url(), data)
            self.assertContains(response, message, status_code=400)
        self.assertFalse(Report.objects.exists())
        with self.assertRaisesMessage(actions.ModerationError, "reasons"):
            self.report(reason="nonsense")

    def test_nobody_reports_their_own_post(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(self.report_url(), {"reason": "spam"})
        self.assertContains(response, "your own post", status_code=400)
        self.assertFalse(Report.objects.exists())

    def test_a_post_the_person_cannot_see_is_a_404(self) -> None:
        for person in (self.dave, self.erin, self.oscar, self.dora, self.adam):
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.report_url()).status_code, 404, person)
            response = self.client.post(self.report_url(), {"reason": "spam"})
            self.assertEqual(response.status_code, 404, person)
        self.assertFalse(Report.objects.exists())


class WhoSeesAReportTests(ModerationTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.the_report = actions.report_post(
            cls.post, reporter=cls.alice, reason=ReportReason.HARASSMENT, details="Again."
        )

    def detail_url(self) -> str:
        return reverse("moderation:report_detail", args=[self.the_report.public_id])

    def test_the_reported_person_never_learns_who_reported(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("moderation:queue")).status_code, 403)
        mine = self.client.get(reverse("moderation:mine"))
        self.assertNotContains(mine, "Alice")
        self.assertFalse(Report.objects.visible_to(self.bob).exists())

    def test_peers_other_cohorts_and_other_organisations_see_no_report(self) -> None:
        for person in (self.fay, self.dave, self.erin, self.dora, self.oscar):
            self.assertFalse(Report.objects.visible_to(person).exists(), person)
            self.client.force_login(person)
            self.assertEqual(self.client.get(self.detail_url()).status_code, 404, person)
            for name in ("hide", "dismiss", "unhide"):
                url = reverse(f"moderation:{name}", args=[self.the_report.public_id])
                self.assertEqual(self.client.post(url, {"reason": "x"}).status_code, 404)
        self.the_report.refresh_from_db()
        self.assertEqual(self.the_report.state, ReportState.OPEN)

    def test_the_reporter_sees_their_own_report_but_not_the_queue(self) -> None:
        self.assertEqual(list(Report.objects.visible_to(self.alice)), [self.the_report])
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("moderation:mine")), "Harassment or bullying")
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)

    def test_the_coach_and_the_admin_moderate_it(self) -> None:
        self.assertEqual(actions.moderator_ids_for(self.post), {self.carol.pk, self.adam.pk})
        for person in (self.carol, self.adam):
            self.assertEqual(list(Report.objects.moderated_by(person)), [self.the_report])
            self.client.force_login(person)
            self.assertContains(self.client.get(self.detail_url()), "alice@northwind.example")

    def test_a_line_manager_never_gets_the_report_even_as_admin(self) -> None:
        membership = self.bob.membership
        membership.line_manager = self.adam
        membership.save()
        self.assertEqual(actions.moderator_ids_for(self.post), {self.carol.pk})
        self.assertFalse(Report.objects.moderated_by(self.adam).exists())
        self.client.force_login(self.adam)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("moderation:queue")), "overshare")

    def test_a_line_manager_who_coaches_the_cohort_never_gets_it_either(self) -> None:
        membership = self.bob.membership
        membership.line_manager = self.carol
        membership.save()
        self.assertEqual(actions.moderator_ids_for(self.post), {self.adam.pk})
        self.assertFalse(Report.objects.moderated_by(self.carol).exists())
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)

    def test_another_organisations_admin_gets_404(self) -> None:
        from organizations.models import Role
        from rapport.testing import make_user

        other_admin = make_user(self.other_org, "olga@contoso.example", role=Role.ADMIN)
        self.client.force_login(other_admin)
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("moderation:queue")), "overshare")


class DecisionTests(ModerationTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.the_report = actions.report_post(
            cls.post, reporter=cls.alice, reason=ReportReason.VULNERABILITY
        )
        cls.second = actions.report_post(cls.post, reporter=cls.fay, reason=ReportReason.HARASSMENT)

    def url(self, name: str, report: Report | None = None) -> str:
        return reverse(f"moderation:{name}", args=[(report or self.the_report).public_id])

    def test_hiding_closes_every_open_report_of_the_post_and_is_logged(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            self.url("hide"),
            {"reason": "It turns someone's openness against them.", "note": "Thank you."},
        )
        self.assertRedirects(response, reverse("moderation:queue"))
        self.post.refresh_from_db()
        self.assertIsNotNone(self.post.hidden_at)
        self.assertEqual(self.post.hidden_reason, "It turns someone's openness against them.")
        states = dict(Report.objects.values_list("reporter__email", "state"))
        self.assertEqual(set(states.values()), {ReportState.ACTIONED})
        entry = ModerationAction.objects.get()
        self.assertEqual((entry.actor, entry.action, entry.post), (self.carol, "hide", self.post))
        # The reporter reads the outcome on "My reports"; the author sees no report.
        self.client.force_login(self.alice)
        mine = self.client.get(reverse("moderation:mine"))
        self.assertContains(mine, "Hidden")
        self.assertContains(mine, "Thank you.")

    def test_acting_on_a_handled_report_changes_nothing(self) -> None:
        actions.dismiss_report(self.the_report, by=self.carol, note="Looks fine to me.")
        self.client.force_login(self.adam)
        for name, data in (("hide", {"reason": "Late"}), ("dismiss", {"note": "Again"})):
            response = self.client.post(self.url(name), data)
            self.assertContains(response, "already been handled", status_code=400)
        self.post.refresh_from_db()
        self.assertIsNone(self.post.hidden_at)
        self.assertEqual(ModerationAction.objects.count(), 1)
        self.the_report.refresh_from_db()
        self.assertEqual(self.the_report.outcome_note, "Looks fine to me.")

    def test_dismissing_closes_that_report_only(self) -> None:
        self.client.force_login(self.adam)
        response = self.client.post(self.url("dismiss"), {"note": "Robust, but within the rules."})
        self.assertRedirects(response, reverse("moderation:queue"))
        self.assertEqual(
            dict(Report.objects.values_list("reporter_id", "state")),
            {self.alice.pk: ReportState.DISMISSED, self.fay.pk: ReportState.OPEN},
        )
        self.assertEqual(ModerationAction.objects.get().action, ActionKind.DISMISS)

    def test_bad_decisions_are_clear_errors(self) -> None:
        self.client.force_login(self.carol)
        cases = [
            ("hide", {"reason": ""}, "Say why"),
            ("hide", {"reason": "x" * 501}, "at most"),
            ("dismiss", {"note": "x" * 501}, "at most"),
            ("unhide", {}, "not hidden"),
        ]
        for name, data, message in cases:
            response = self.client.post(self.url(name), data)
            self.assertContains(response, message, status_code=400)
        self.assertEqual(self.client.get(self.url("hide")).status_code, 405)
        self.assertFalse(ModerationAction.objects.exists())
        self.assertEqual(Report.objects.filter(state=ReportState.OPEN).count(), 2)

    def test_a_hidden_post_can_be_shown_again(self) -> None:
        actions.hide_reported_post(self.the_report, by=self.carol, reason="Unkind.")
        self.client.force_login(self.adam)
        response = self.client.post(self.url("unhide"), {"reason": "On reflection, fair."})
        self.assertRedirects(response, self.url("report_detail"))
        self.post.refresh_from_db()
        self.assertIsNone(self.post.hidden_at)
        self.assertEqual(
            list(ModerationAction.objects.order_by("id").values_list("action", flat=True)),
            ["hide", "unhide"],
        )

    def test_the_audit_log_is_for_admins_and_append_only(self) -> None:
        actions.hide_reported_post(self.the_report, by=self.carol, reason="Unkind.")
        self.client.force_login(self.adam)
        log = self.client.get(reverse("moderation:log"))
        self.assertContains(log, "Hid reported text")
        self.assertContains(log, "Unkind.")
        for person in (self.carol, self.alice, self.bob, self.dora):
            self.client.force_login(person)
            self.assertEqual(self.client.get(reverse("moderation:log")).status_code, 403)
        self.assertFalse(ModerationAction.objects.visible_to(self.carol).exists())
        self.assertFalse(ModerationAction.objects.visible_to(self.oscar).exists())
        entry = ModerationAction.objects.get()
        entry.reason = "Rewritten"
        with self.assertRaises(AppendOnlyError):
            entry.save()
        with self.assertRaises(AppendOnlyError):
            entry.delete()
        with self.assertRaises(AppendOnlyError):
            ModerationAction.objects.update(reason="Rewritten")
        with self.assertRaises(AppendOnlyError):
            ModerationAction.objects.all().delete()
        self.assertEqual(ModerationAction.objects.get().reason, "Unkind.")


class QueueQueryCountTests(ModerationTestCase):
    def queries_for_queue(self) -> int:
        self.client.force_login(self.adam)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("moderation:queue"))
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_queue_costs_the_same_whatever_the_number_of_reports(self) -> None:
        actions.report_post(self.post, reporter=self.alice, reason=ReportReason.SPAM)
        one = self.queries_for_queue()
        for n in range(6):
            post = create_post(self.thread, author=self.fay, body=f"Post number {n}")
            actions.report_post(post, reporter=self.alice, reason=ReportReason.OTHER)
            actions.report_post(post, reporter=self.bob, reason=ReportReason.SPAM)
        many = self.queries_for_queue()
        self.assertEqual(one, many)
        self.assertLessEqual(many, 8)

    def test_my_reports_and_the_audit_log_cost_the_same_whatever_their_length(self) -> None:
        def count(name: str, person: object) -> int:
            self.client.force_login(person)  # type: ignore[arg-type]
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse(name)).status_code, 200)
            return len(queries)

        report = actions.report_post(self.post, reporter=self.alice, reason=ReportReason.SPAM)
        actions.dismiss_report(report, by=self.adam)
        before = (count("moderation:mine", self.alice), count("moderation:log", self.adam))
        for n in range(5):
            post = create_post(self.thread, author=self.fay, body=f"Post number {n}")
            report = actions.report_post(post, reporter=self.alice, reason=ReportReason.OTHER)
            actions.hide_reported_post(report, by=self.carol, reason="Off topic.")
        after = (count("moderation:mine", self.alice), count("moderation:log", self.adam))
        self.assertEqual(before, after)


class BlockingTests(ModerationTestCase):
    def block_url(self, post: Post | None = None) -> str:
        return reverse("moderation:block", args=[(post or self.post).public_id])

    def test_a_learner_blocks_the_author_of_a_post_and_unblocks_from_settings(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(self.block_url()), "Block Bob?")
        response = self.client.post(self.block_url())
        self.assertRedirects(response, reverse("accounts:profile"))
        block = Block.objects.get()
        self.assertEqual(
            (block.blocker, block.blocked, block.blocked_label), (self.alice, self.bob, "")
        )
        settings = self.client.get(reverse("accounts:profile"))
        self.assertContains(settings, "People you have blocked")
        self.assertContains(settings, reverse("moderation:unblock", args=[block.public_id]))
        # Again: nothing changes.
        self.client.post(self.block_url())
        self.assertEqual(Block.objects.count(), 1)
        # Only the blocker can unblock.
        unblock = reverse("moderation:unblock", args=[block.public_id])
        for person in (self.bob, self.adam, self.oscar):
            self.client.force_login(person)
            self.assertEqual(self.client.post(unblock).status_code, 404, person)
            self.assertNotContains(self.client.get(reverse("accounts:profile")), "Unblock")
        self.client.force_login(self.alice)
        self.assertRedirects(self.client.post(unblock), reverse("accounts:profile"))
        self.assertFalse(Block.objects.exists())

    def test_a_pseudonym_stays_a_pseudonym_on_the_blockers_settings(self) -> None:
        Post.objects.filter(pk=self.post.pk).update(pseudonym="Quiet River")
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(self.block_url()), "Block Quiet River?")
        self.client.post(self.block_url())
        settings = self.client.get(reverse("accounts:profile"))
        self.assertContains(settings, "Quiet River")
        self.assertNotContains(settings, "Bob")
        self.assertNotContains(settings, str(self.bob.public_id))

    def test_blocking_a_pseudonym_never_unmasks_it(self) -> None:
        """Blocks are per name: blocking "Quiet River" folds Quiet River's posts only. Folding
        Bob's real-name posts too, or answering "already blocked" when Alice then blocks Bob,
        would tell her who Quiet River is; so would Bob's real-name replies going silent."""
        Post.objects.filter(pk=self.post.pk).update(pseudonym="Quiet River")
        real = create_post(self.thread, author=self.bob, body="Under my own name.")
        self.client.force_login(self.alice)
        self.client.post(self.block_url())
        page = self.client.get(reverse("discussions:thread", args=[self.thread.public_id]))
        self.assertContains(page, "You blocked this person", count=1)
        self.assertContains(page, "Under my own name.")
        self.assertEqual(blocker_ids_of(self.bob), set())  # as himself he still reaches her
        self.assertEqual(blocker_ids_of(self.bob, label="Quiet River"), {self.alice.pk})

        response = self.client.post(self.block_url(real))

        self.assertNotContains(response, "already", status_code=response.status_code)
        self.assertEqual(
            set(Block.objects.values_list("blocked_label", flat=True)), {"Quiet River", ""}
        )
        page = self.client.get(reverse("discussions:thread", args=[self.thread.public_id]))
        self.assertContains(page, "You blocked this person", count=2)

    def test_nobody_blocks_themselves_or_through_a_post_they_cannot_see(self) -> None:
        self.client.force_login(self.bob)
        self.assertContains(self.client.post(self.block_url()), "yourself", status_code=400)
        for person in (self.dave, self.oscar, self.dora):
            self.client.force_login(person)
            self.assertEqual(self.client.post(self.block_url()).status_code, 404, person)
        self.assertFalse(Block.objects.exists())


class PostControlsTests(ModerationTestCase):
    def test_report_and_block_are_under_other_peoples_posts_only(self) -> None:
        own = create_post(self.thread, author=self.alice, body="My own thoughts.")
        self.client.force_login(self.alice)
        page = self.client.get(reverse("discussions:thread", args=[self.thread.public_id]))
        self.assertContains(page, reverse("moderation:report", args=[self.post.public_id]))
        self.assertContains(page, reverse("moderation:block", args=[self.post.public_id]))
        self.assertNotContains(page, reverse("moderation:report", args=[own.public_id]))
        # Once blocked, the post is collapsed and offers no second "Block".
        actions.block_author(self.post, blocker=self.alice)
        page = self.client.get(reverse("discussions:thread", args=[self.thread.public_id]))
        self.assertContains(page, "You blocked this person")
        self.assertNotContains(page, reverse("moderation:block", args=[self.post.public_id]))


class FindingTheWayTests(ModerationTestCase):
    def test_moderators_find_the_queue_from_home_and_everyone_my_reports_from_settings(
        self,
    ) -> None:
        for person in (self.carol, self.adam):
            self.client.force_login(person)
            self.assertContains(self.client.get(reverse("home")), reverse("moderation:queue"))
        self.client.force_login(self.dora)
        self.assertNotContains(self.client.get(reverse("home")), reverse("moderation:queue"))
        for person in (self.alice, self.dora):
            self.client.force_login(person)
            settings = self.client.get(reverse("accounts:profile"))
            self.assertContains(settings, reverse("moderation:mine"))


class NotificationTests(ModerationTestCase):
    """Moderation news reaches exactly who it should, quoting nothing anyone typed."""

    def notices(self) -> dict[str, list[str]]:
        from notifications.models import Notification

        out: dict[str, list[str]] = {}
        for n in Notification.objects.select_related("recipient").order_by("id"):
            out.setdefault(n.recipient.email.split("@")[0], []).append(f"{n.headline} → {n.url}")
        return out

    def test_each_step_tells_the_right_people_and_never_quotes(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            report = self.report(details="He keeps doing this to Fay.")
        detail = reverse("moderation:report_detail", args=[report.public_id])
        notices = self.notices()
        self.assertEqual(set(notices), {"carol", "adam"})  # never bob, never alice herself
        self.assertIn(detail, notices["carol"][0])
        self.assertIn("a post reported in Community space", notices["carol"][0])
        with self.captureOnCommitCallbacks(execute=True):
            actions.hide_reported_post(report, by=self.carol, reason="Unkind.", note="Thanks.")
        notices = self.notices()
        self.assertIn("your post in Community space", notices["bob"][0])
        self.assertIn("your report in Community space", notices["alice"][0])
        everything = str(notices)
        for typed in ("overshare", "Fay", "Unkind", "Thanks", "Alice", "Carol"):
            self.assertNotIn(typed, everything)

    def test_a_line_manager_is_never_told(self) -> None:
        membership = self.bob.membership
        membership.line_manager = self.adam
        membership.save()
        with self.captureOnCommitCallbacks(execute=True):
            self.report()
        self.assertEqual(set(self.notices()), {"carol"})

    def test_blocking_the_coach_does_not_silence_moderation_news(self) -> None:
        coach_post = create_post(self.thread, author=self.carol, body="Welcome, everyone.")
        actions.block_author(coach_post, blocker=self.bob)
        report = self.report()
        with self.captureOnCommitCallbacks(execute=True):
            actions.hide_reported_post(report, by=self.carol, reason="Unkind.")
        self.assertIn("bob", self.notices())
