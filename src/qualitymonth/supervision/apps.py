from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "qualitymonth.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from qualitymonth.supervision import case_selectors, figures, panels, permissions, problems

        permissions.register()
        figures.register()
        panels.register()
        problems.register()
        case_selectors.register_panels()
        self._add_to_enterprise_timelines()

    @staticmethod
    def _add_to_enterprise_timelines() -> None:
        from qualitymonth.enterprises.timeline import register_source
        from qualitymonth.supervision import (
            case_selectors,
            hazard_selectors,
            inspection_selectors,
            spotcheck_selectors,
        )

        for selectors in (
            inspection_selectors,
            hazard_selectors,
            spotcheck_selectors,
            case_selectors,
        ):
            register_source(selectors.timeline_entries)
