from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "qualitymonth.complaints"
    label = "complaints"
    verbose_name = _("Complaints and reports")

    def ready(self):
        from qualitymonth.complaints import permissions
        from qualitymonth.complaints.figures import ComplaintFigures
        from qualitymonth.core import figures

        permissions.register()
        figures.register(ComplaintFigures())
