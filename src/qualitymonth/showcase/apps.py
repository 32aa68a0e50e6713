from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "qualitymonth.showcase"
    label = "showcase"
    verbose_name = _("Brand stories and science articles")
