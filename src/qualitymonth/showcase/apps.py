from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "qualitymonth.showcase"
    label = "showcase"
    verbose_name = _("Brand stories and science articles")

    def ready(self):
        from qualitymonth.core import figures
        from qualitymonth.core.media import register_media_guard
        from qualitymonth.showcase.figures import ShowcaseFigures
        from qualitymonth.showcase.media import FOLDERS, may_read_file

        figures.register(ShowcaseFigures())

        # A draft's cover and video are as private as the draft (showcase/media.py).
        for folder in FOLDERS:
            register_media_guard(folder, may_read_file)
