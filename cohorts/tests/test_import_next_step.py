"""After an import, the report leads the admin on: a link to the cohort's seats in the studio,
where the people just imported are listed with their coach (no dead end at the report)."""

import re

from cohorts.tests.test_import import ImportTestCase, people_csv


class ImportNextStepTests(ImportTestCase):
    def test_the_report_links_to_this_cohorts_seats_which_list_the_people_imported(self) -> None:
        response = self.post(people_csv(2))
        self.assertEqual(response.status_code, 200)
        link = re.search(
            r'<a href="([^"]+)">See everyone in this cohort', response.content.decode()
        )
        self.assertIsNotNone(link, "the report has no link to the cohort's people")
        assert link is not None
        seats = self.client.get(link.group(1).replace("&amp;", "&"))
        self.assertEqual(seats.status_code, 200)
        listed = {str(seat.user) for seat in seats.context["cl"].result_list}
        self.assertIn("Person 0", " ".join(listed))
        self.assertTrue(
            all(seat.cohort_id == self.cohort_a.pk for seat in seats.context["cl"].result_list)
        )
