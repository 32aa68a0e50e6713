from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "qualitymonth.dashboard"
    label = "dashboard"
    verbose_name = _("Command dashboard")

    def ready(self):
        # Last in INSTALLED_APPS: every app has registered its figures provider by now.
        from qualitymonth.dashboard import facts, permissions

        permissions.register()
        facts.connect_watches()
