from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings

from programs.validators import guess_media_type, validate_captions_file, validate_media_file
from rapport.testing import TINY_VTT, TINY_WEBM

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


class MediaValidationTests(SimpleTestCase):
    def test_real_containers_pass(self) -> None:
        for name, data in (
            ("a.webm", TINY_WEBM),
            ("a.wav", WAV),
            ("a.mp4", MP4),
            ("a.m4a", MP4),
            ("a.ogg", b"OggS" + b"\x00" * 40),
            ("a.mp3", b"ID3" + b"\x00" * 40),
        ):
            validate_media_file(SimpleUploadedFile(name, data))

    def test_a_renamed_picture_is_refused(self) -> None:
        with self.assertRaisesMessage(ValidationError, "not a real .webm"):
            validate_media_file(SimpleUploadedFile("talk.webm", PNG))

    def test_an_unknown_extension_is_refused(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Upload a video or audio file"):
            validate_media_file(SimpleUploadedFile("talk.exe", TINY_WEBM))

    @override_settings(RAPPORT_MAX_MEDIA_UPLOAD_MB=1)
    def test_an_oversize_file_is_refused(self) -> None:
        big = SimpleUploadedFile("talk.webm", TINY_WEBM + b"\x00" * (1024 * 1024 + 1))
        with self.assertRaisesMessage(ValidationError, "the limit is 1 MB"):
            validate_media_file(big)

    def test_captions_must_be_webvtt(self) -> None:
        validate_captions_file(SimpleUploadedFile("a.vtt", TINY_VTT))
        validate_captions_file(SimpleUploadedFile("a.vtt", b"\xef\xbb\xbf" + TINY_VTT))
        with self.assertRaisesMessage(ValidationError, "WebVTT"):
            validate_captions_file(SimpleUploadedFile("a.srt", TINY_VTT))
        with self.assertRaisesMessage(ValidationError, "SubRip (SRT) file"):
            validate_captions_file(
                SimpleUploadedFile("a.vtt", b"1\n00:00:01,000 --> 00:00:02,000\n")
            )

    def test_media_types_follow_the_extension(self) -> None:
        self.assertEqual(guess_media_type("x/clip.WEBM"), "video/webm")
        self.assertEqual(guess_media_type("x/clip.ogg"), "audio/ogg")
        self.assertEqual(guess_media_type("x/clip.bin"), "application/octet-stream")
