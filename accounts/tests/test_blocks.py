from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Block, blocked_names_of, blocker_ids_of
from organizations.actions import deactivate_member
from rapport.policy import Role
from rapport.testing import PersonaTestCase, make_user


class BlockModelTests(PersonaTestCase):
    def test_a_block_takes_the_organisation_of_the_people(self) -> None:
        block = Block.objects.create(blocker=self.alice, blocked=self.bob)
        self.assertEqual(block.organization_id, self.org.pk)

    def test_one_block_per_pair_and_name(self) -> None:
        Block.objects.create(blocker=self.alice, blocked=self.bob)
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Block.objects.create(blocker=self.alice, blocked=self.bob)
        # Bob under a pseudonym is another block: one must not answer "already blocked".
        Block.objects.create(blocker=self.alice, blocked=self.bob, blocked_label="Quiet River")
        # The other direction is another person's choice.
        Block.objects.create(blocker=self.bob, blocked=self.alice)
        self.assertEqual(Block.objects.count(), 3)

    def test_nobody_blocks_themselves(self) -> None:
        with self.assertRaisesMessage(ValidationError, "cannot block yourself"):
            Block(blocker=self.alice, blocked=self.alice).full_clean()
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Block.objects.create(blocker=self.alice, blocked=self.alice)

    def test_a_block_never_spans_two_organisations(self) -> None:
        with self.assertRaisesMessage(ValidationError, "your own organisation"):
            Block(blocker=self.alice, blocked=self.oscar).full_clean()
        with self.assertRaises(ValueError):
            Block.objects.create(blocker=self.alice, blocked=self.oscar)
        self.assertFalse(Block.objects.exists())

    def test_duplicate_is_a_form_error_not_a_database_error(self) -> None:
        Block.objects.create(blocker=self.alice, blocked=self.bob)
        with self.assertRaisesMessage(ValidationError, "already blocked"):
            Block(blocker=self.alice, blocked=self.bob).full_clean()


class BlockVisibilityTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.alice_blocks_bob = Block.objects.create(blocker=cls.alice, blocked=cls.bob)
        cls.dave_blocks_alice = Block.objects.create(blocker=cls.dave, blocked=cls.alice)

    def test_each_person_sees_only_the_blocks_they_made(self) -> None:
        self.assertEqual(list(Block.objects.visible_to(self.alice)), [self.alice_blocks_bob])
        self.assertEqual(list(Block.objects.visible_to(self.dave)), [self.dave_blocks_alice])
        # The blocked person never learns; nor do admins, coaches or other organisations.
        for person in (self.bob, self.adam, self.carol, self.dora, self.oscar, self.erin):
            self.assertFalse(Block.objects.visible_to(person).exists(), person)
        self.assertFalse(Block.objects.visible_to(AnonymousUser()).exists())

    def test_deactivated_people_see_none(self) -> None:
        deactivate_member(self.alice.membership)
        self.alice.refresh_from_db()
        self.assertFalse(Block.objects.visible_to(self.alice).exists())

    def test_the_helpers_answer_both_directions(self) -> None:
        self.assertEqual(blocked_names_of(self.alice), {(self.bob.pk, "")})
        self.assertEqual(blocker_ids_of(self.alice), {self.dave.pk})
        self.assertEqual(blocked_names_of(self.bob), set())
        self.assertEqual(blocker_ids_of(self.bob), {self.alice.pk})
        self.assertEqual(blocked_names_of(AnonymousUser()), set())
        self.assertEqual(blocker_ids_of(None), set())
        with self.assertNumQueries(1):
            blocked_names_of(self.alice)

    def test_a_block_is_of_one_name(self) -> None:
        Block.objects.create(blocker=self.dave, blocked=self.bob, blocked_label="Quiet River")
        self.assertEqual(blocker_ids_of(self.bob, label="Quiet River"), {self.dave.pk})
        self.assertEqual(blocker_ids_of(self.bob), {self.alice.pk})  # his real name
        self.assertEqual(blocker_ids_of(self.bob, label="Another Name"), set())

    def test_the_blocker_sees_the_name_they_blocked(self) -> None:
        self.assertEqual(self.alice_blocks_bob.label(), self.bob.full_name)
        under_a_pseudonym = Block.objects.create(
            blocker=self.bob, blocked=self.alice, blocked_label="Quiet River"
        )
        self.assertEqual(under_a_pseudonym.label(), "Quiet River")


class SettingsBlocksSectionTests(PersonaTestCase):
    def test_a_sponsor_is_not_offered_pages_she_cannot_open(self) -> None:
        """Settings offered a programme sponsor "People you have blocked" (she has no posts to
        block anyone from) and a My reports link that answered her 403 (found in the demo)."""
        sponsor = make_user(self.org, "sam@northwind.example", role=Role.SPONSOR, name="Sam")
        self.client.force_login(sponsor)
        page = self.client.get(reverse("accounts:profile"))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, reverse("moderation:mine"))
        self.assertNotContains(page, "People you have blocked")
        self.assertEqual(self.client.get(reverse("moderation:mine")).status_code, 403)
        # A learner keeps both.
        self.client.force_login(self.alice)
        page = self.client.get(reverse("accounts:profile"))
        self.assertContains(page, reverse("moderation:mine"))
        self.assertContains(page, "People you have blocked")
