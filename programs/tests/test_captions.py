"""Captions browsers cannot play are refused with what is wrong and where; SubRip (SRT) files,
and WebVTT written with SRT commas, can be converted; an activity counts as captioned only when
its captions parse (fault case vtt-srt-commas.vtt)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from django.urls import reverse

from programs.models import Activity, ActivityKind
from programs.validators import (
    CaptionsError,
    convert_srt_to_webvtt,
    parse_webvtt,
    validate_captions_file,
)
from rapport.studio_testing import StudioTestCase
from rapport.testing import TINY_VTT

SRT_COMMAS_VTT = (Path(__file__).parent / "fixtures" / "vtt-srt-commas.vtt").read_bytes()
SRT = b"1\n00:00:01,000 --> 00:00:04,000\nWelcome.\n\n2\n00:00:04,500 --> 00:00:08,000\nBegin.\n"


def problem_of(data: bytes) -> CaptionsError:
    try:
        parse_webvtt(data)
    except CaptionsError as exc:
        return exc
    raise AssertionError("the captions were accepted")


class ParseTests(SimpleTestCase):
    def test_webvtt_with_srt_commas_is_refused_naming_the_line_and_offering_conversion(
        self,
    ) -> None:
        error = problem_of(SRT_COMMAS_VTT)
        self.assertTrue(error.convertible)
        self.assertIn("Line 4", error.messages[0])
        self.assertIn("00:00:01,000 --> 00:00:04,000", error.messages[0])
        self.assertIn("Convert from SRT", error.messages[0])

    def test_an_srt_file_renamed_vtt_is_recognised_as_srt(self) -> None:
        error = problem_of(SRT)
        self.assertEqual(error.code, "captions_srt")
        self.assertTrue(error.convertible)

    def test_a_file_without_the_webvtt_line_says_what_line_1_is(self) -> None:
        error = problem_of(b"Hello there\n\n00:00.000 --> 00:02.000\nHi\n")
        self.assertIn("line 1 must be “WEBVTT”, but it is “Hello there”", error.messages[0])
        self.assertFalse(error.convertible)
        self.assertEqual(
            problem_of(b"WEBVTTX\n\n00:00.000 --> 00:01.000\nA\n").code, "captions_header"
        )

    def test_a_malformed_cue_timing_is_refused_with_its_line(self) -> None:
        error = problem_of(
            b"WEBVTT\n\n00:00.000 --> 00:02.000\nA\n\n00:0x:05.000 --> 00:00:09.000\nB\n"
        )
        self.assertIn("Line 6", error.messages[0])
        self.assertIn("00:0x:05.000", error.messages[0])

    def test_a_cue_that_ends_before_it_starts_is_refused_with_its_number(self) -> None:
        error = problem_of(
            b"WEBVTT\n\n00:00.000 --> 00:02.000\nA\n\n00:00:05.000 --> 00:00:02.000\nB\n"
        )
        self.assertIn("Cue 2 (line 6)", error.messages[0])

    def test_binary_and_non_utf8_files_are_refused(self) -> None:
        self.assertEqual(problem_of(b"WEBVTT\n\x00\x01\x02").code, "captions_binary")
        self.assertIn("line 3", problem_of(b"WEBVTT\n\n\xff\xfe\n").messages[0])

    def test_a_file_with_no_cues_is_refused(self) -> None:
        self.assertEqual(problem_of(b"WEBVTT\n\n").code, "captions_empty")

    def test_valid_webvtt_passes_with_or_without_a_byte_order_mark_and_crlf(self) -> None:
        self.assertEqual(len(parse_webvtt(TINY_VTT).captions), 1)
        parse_webvtt(b"\xef\xbb\xbf" + TINY_VTT.replace(b"\n", b"\r\n"))
        parse_webvtt(
            b"WEBVTT - with a title\n\nNOTE a comment\n\n01:00:00.000 --> 01:00:02.500 line:0\nX\n"
        )

    def test_the_model_validator_refuses_the_fault_case(self) -> None:
        with self.assertRaises(ValidationError):
            validate_captions_file(SimpleUploadedFile("welcome.vtt", SRT_COMMAS_VTT))


class ConvertTests(SimpleTestCase):
    def test_the_fault_case_converts_to_webvtt_browsers_play(self) -> None:
        converted = convert_srt_to_webvtt(SRT_COMMAS_VTT)
        captions = parse_webvtt(converted)
        self.assertEqual(
            [(c.start, c.end, c.text) for c in captions.captions],
            [
                ("00:00:01.000", "00:00:04.000", "Welcome to the week."),
                ("00:00:04.500", "00:00:08.000", "Let us begin with a question."),
            ],
        )

    def test_an_srt_file_converts(self) -> None:
        self.assertTrue(convert_srt_to_webvtt(SRT).startswith(b"WEBVTT"))

    def test_something_that_is_not_srt_either_says_so(self) -> None:
        with self.assertRaises(CaptionsError) as caught:
            convert_srt_to_webvtt(b"just some words\n")
        self.assertEqual(caught.exception.code, "captions_not_srt")


class StudioCaptionsTests(StudioTestCase):
    def post_captions(self, data: bytes, **extra: object) -> tuple[Activity, object]:
        video = self.first_activity(ActivityKind.VIDEO)
        self.client.force_login(self.dora)
        url = reverse("admin:programs_activity_change", args=[video.pk])
        upload = SimpleUploadedFile("welcome.vtt", data, content_type="text/vtt")
        response = self.client.post(url, self.activity_post(video, captions=upload, **extra))
        return video, response

    def test_the_fault_case_is_refused_with_the_offer_to_convert(self) -> None:
        video, response = self.post_captions(SRT_COMMAS_VTT)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Line 4")
        self.assertContains(response, "Convert from SRT")
        video.refresh_from_db()
        self.assertNotIn("welcome", video.captions.name)

    def test_ticking_convert_stores_valid_webvtt(self) -> None:
        video, response = self.post_captions(SRT_COMMAS_VTT, convert_from_srt="on")
        self.assertEqual(response.status_code, 302)
        video.refresh_from_db()
        self.assertTrue(video.captions.name.endswith(".vtt"))
        with video.captions.open("rb") as stored:
            self.assertEqual(len(parse_webvtt(stored.read()).captions), 2)
        self.assertTrue(video.has_captions)

    def test_convert_without_a_file_asks_for_one(self) -> None:
        video = self.first_activity(ActivityKind.VIDEO)
        Activity.objects.filter(pk=video.pk).update(captions="")
        video.refresh_from_db()
        self.client.force_login(self.dora)
        url = reverse("admin:programs_activity_change", args=[video.pk])
        response = self.client.post(url, self.activity_post(video, convert_from_srt="on"))
        self.assertContains(response, "Choose a captions file to convert.")


class CountsAsCaptionedTests(StudioTestCase):
    def test_a_stored_file_that_does_not_parse_does_not_count_and_offers_no_track(self) -> None:
        video = self.first_activity(ActivityKind.VIDEO)
        self.assertTrue(video.has_captions)
        video.captions.save("broken.vtt", ContentFile(SRT_COMMAS_VTT), save=False)
        video.save()
        self.assertFalse(video.has_captions)
        self.client.force_login(self.alice)
        page = self.client.get(
            reverse("cohorts:activity", args=[self.cohort_a.public_id, video.public_id])
        )
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'kind="captions"')

    def test_valid_captions_are_offered_to_the_player(self) -> None:
        video = self.first_activity(ActivityKind.VIDEO)
        self.client.force_login(self.alice)
        page = self.client.get(
            reverse("cohorts:activity", args=[self.cohort_a.public_id, video.public_id])
        )
        self.assertContains(page, 'kind="captions"')
