import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from programs.access import get_activity_for_user
from programs.validators import guess_media_type
from rapport.lib.ranged import ranged_file_response


@login_required
@require_GET
def activity_file(request: HttpRequest, activity_id: uuid.UUID, which: str) -> HttpResponseBase:
    """A video, podcast or captions file, streamed with Range support to people who may see the
    activity. Media never has a public URL."""
    activity = get_activity_for_user(request.user, activity_id)  # type: ignore[arg-type]
    field = {"media": activity.media, "captions": activity.captions}.get(which)
    if not field:
        raise Http404("No such file")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("File missing") from None
    response = ranged_file_response(
        request, handle, content_type=guess_media_type(field.name or ""), size=field.size
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
