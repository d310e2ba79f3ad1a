"""Portal views (thin: parse input, call a selector or service, render)."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class PortalLoginView(LoginView):
    template_name = "portal/login.html"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")
