from django.contrib.auth import views as auth_views
from django.http import HttpResponse


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def healthz(request):
    """The bare endpoint: no database, no template. Benchmarks measure against it."""
    return HttpResponse(b"ok", content_type="text/plain")
