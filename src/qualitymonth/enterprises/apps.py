from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "qualitymonth.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from qualitymonth.enterprises import permissions

        permissions.register()
