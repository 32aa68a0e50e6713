from django.core.management.base import BaseCommand, CommandError

from qualitymonth.quiz import leaderboard
from qualitymonth.quiz.models import Quiz
from qualitymonth.quiz.services import attempts_close_overdue


class Command(BaseCommand):
    help = (
        "Quiz upkeep: close-overdue (run by a scheduler every minute), rebuild-leaderboard, "
        "flush (write answers and submissions queued in Redis to the database; with --every N, "
        "keep doing it every N seconds: run it beside the web nodes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["close-overdue", "rebuild-leaderboard", "flush"])
        parser.add_argument("--quiz", help="quiz slug (default: all)")
        parser.add_argument("--every", type=float, default=0, help="flush: seconds between runs")

    def handle(self, *args, action: str, quiz: str | None, every: float, **options):
        if action == "flush":
            from qualitymonth.core.loops import run_every
            from qualitymonth.quiz import burst

            run_every(
                every,
                lambda: burst.flush(wait=5.0),
                lambda n: self.stdout.write(f"{n} answers and submissions written"),
            )
            return
        quizzes = Quiz.objects.all()
        if quiz:
            quizzes = quizzes.filter(slug=quiz)
            if not quizzes.exists():
                raise CommandError(f"No quiz {quiz}.")
        for q in quizzes:
            if action == "close-overdue":
                self.stdout.write(
                    f"{q.slug}: closed {attempts_close_overdue(quiz=q)} overdue attempts"
                )
            else:
                n = leaderboard.rebuild(q.pk)
                self.stdout.write(
                    f"{q.slug}: {n} leaderboard entries mirrored"
                    if leaderboard.redis_client()
                    else f"{q.slug}: REDIS_URL is not set; the database board needs no rebuild"
                )
