from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect

from qualitymonth.core.permissions import policy


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def after_login(request):
    """Where "log in" leads without a ?next: staff to their back office, citizens to the campaign."""
    if policy.is_staff_member(request.user):
        return redirect("office:home")
    return redirect("campaigns:my_tickets")


def healthz(request):
    """The bare endpoint: no database, no template. Benchmarks measure against it."""
    return HttpResponse(b"ok", content_type="text/plain")
