from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "qualitymonth.quiz"
    label = "quiz"
    verbose_name = _("Quality-knowledge quiz")

    def ready(self):
        from qualitymonth.core import figures
        from qualitymonth.quiz.figures import QuizFigures

        figures.register(QuizFigures())
