"""The upload form of the import page (cohorts.import_views)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy

from cohorts.imports.reading import ImportFileError, ParsedFile, read_import_file


class LearnerImportForm(forms.Form):
    """The upload. Validating it reads and checks the whole file; `parsed` holds the result.

    Whole-file problems become errors on the `file` field; problems with single rows do not
    invalidate the form (they are reported after the good rows are imported).
    """

    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        error_messages={
            "required": gettext_lazy("Choose a CSV file to import."),
            "empty": gettext_lazy("The file is empty. Choose the saved CSV file and try again."),
            "invalid": gettext_lazy("That was not a file. Choose a CSV file to import."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parsed: ParsedFile | None = None

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        try:
            self.parsed = read_import_file(upload)
        except ImportFileError as exc:
            raise ValidationError(exc.message, code="invalid_import_file") from exc
        return upload
