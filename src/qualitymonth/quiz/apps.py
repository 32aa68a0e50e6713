from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "qualitymonth.quiz"
    label = "quiz"
    verbose_name = _("Quality-knowledge quiz")

    def ready(self):
        from qualitymonth.core import figures, metrics
        from qualitymonth.quiz import burst
        from qualitymonth.quiz.figures import QuizFigures

        figures.register(QuizFigures())
        metrics.register_queue("answers", burst.QUEUE, burst.answer_queued_at)
        metrics.register_queue("submissions", burst.FINISH_QUEUE, burst.submission_queued_at)
