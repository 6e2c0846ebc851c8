from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from accounts.forms import ChoosePasswordForm, ProfileForm
from accounts.models import Block
from accounts.tokens import invitation_token_generator


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "nav": "profile",
            # "People you have blocked": the person's own blocks (Block.visible_to).
            "blocks": Block.objects.visible_to(request.user)
            .select_related("blocked")
            .order_by("-created_at", "-id"),
        },
        status=400 if form.errors else 200,
    )


class AcceptInvitationView(auth_views.PasswordResetConfirmView):
    """The page an invitation link opens: the person chooses their first password and is
    signed in. The link works once (choosing a password changes what its token hashes) and for
    RAPPORT_INVITATION_DAYS; a used or expired link shows how to get a fresh one.

    As with password reset, the token moves from the URL into the session before the form is
    shown, so it never leaks through the Referer header.
    """

    token_generator = invitation_token_generator
    form_class = ChoosePasswordForm
    template_name = "accounts/invitation.html"
    post_reset_login = True
    post_reset_login_backend = "accounts.backends.EmailBackend"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome to Rapport. Your password is set."))
        return response
