"""An integer `__in` with a number its column cannot hold matches nothing instead of failing."""

from django import forms
from django.contrib.auth import get_user_model
from django.test import TestCase

from organizations.models import Membership, Organization

TOO_BIG = "9" * 30


class IntegerInTests(TestCase):
    def test_an_out_of_range_number_in_a_list_matches_nothing(self) -> None:
        user = get_user_model().objects.create_user(email="ada@example.com", password="x")
        people = get_user_model().objects
        self.assertEqual(list(people.filter(pk__in=[int(TOO_BIG)])), [])
        self.assertEqual(list(people.filter(pk__in=[-int(TOO_BIG), user.pk])), [user])

    def test_a_multiple_choice_of_rows_calls_an_out_of_range_number_an_invalid_choice(
        self,
    ) -> None:
        field = forms.ModelMultipleChoiceField(queryset=get_user_model().objects.all())
        with self.assertRaises(forms.ValidationError) as caught:
            field.clean([TOO_BIG])
        self.assertEqual(caught.exception.code, "invalid_choice")

    def test_a_foreign_key_compared_with_an_out_of_range_number_matches_nothing(self) -> None:
        user = get_user_model().objects.create_user(email="ada@example.com", password="x")
        organization = Organization.objects.create(name="Northwind", slug="northwind")
        Membership.objects.create(user=user, organization=organization)
        memberships = Membership.objects
        self.assertEqual(list(memberships.filter(user=int(TOO_BIG))), [])
        self.assertEqual(list(memberships.filter(user__in=[int(TOO_BIG)])), [])
        self.assertEqual(list(memberships.exclude(user=int(TOO_BIG))), list(memberships.all()))
        self.assertEqual(
            list(memberships.filter(user__in=[user.pk, int(TOO_BIG)])), list(memberships.all())
        )
