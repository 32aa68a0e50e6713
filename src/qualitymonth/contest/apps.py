from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestConfig(AppConfig):
    name = "qualitymonth.contest"
    label = "contest"
    verbose_name = _("Micro-video contest")

    def ready(self):
        from qualitymonth.contest import permissions
        from qualitymonth.contest.figures import ContestFigures
        from qualitymonth.contest.services import vote_queue
        from qualitymonth.core import figures, metrics

        permissions.register()
        figures.register(ContestFigures())
        metrics.register_queue("votes", vote_queue.QUEUE, vote_queue.queued_at)
