"""Log in, log out and password reset by e-mail (Django's auth views with portal templates)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal import ratelimit


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/auth/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PortalLogoutView(auth_views.LogoutView):
    pass


class PortalPasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/auth/password_reset_form.html"
    email_template_name = "portal/emails/password_reset_body.txt"
    html_email_template_name = "portal/emails/password_reset_body.html"
    subject_template_name = "portal/emails/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password_reset_done")

    def form_valid(self, form):
        # Per address and per e-mail (whether or not an account has it: the answer must not
        # tell), so nobody can flood a mailbox or send mail in bulk through us.
        wait = ratelimit.retry_after(
            "password_reset",
            f"ip:{ratelimit.client_address(self.request)}",
            f"email:{form.cleaned_data['email']}",
        )
        if wait is not None:
            return ratelimit.too_many_requests(self.request, wait)
        return super().form_valid(form)


class PortalPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/auth/password_reset_done.html"


class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/auth/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password_reset_complete")


class PortalPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/auth/password_reset_complete.html"
