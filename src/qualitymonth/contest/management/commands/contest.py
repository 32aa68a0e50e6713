from django.core.management.base import BaseCommand

from qualitymonth.contest.services import votes_flush
from qualitymonth.core.loops import run_every


class Command(BaseCommand):
    help = (
        "Micro-video contest upkeep. flush-votes: write the votes waiting in Redis to the "
        "database (with --every N, keep doing it every N seconds: run it beside the web nodes). "
        "微视频大赛：将 Redis 中排队的投票写入数据库。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["flush-votes"])
        parser.add_argument("--every", type=float, default=0, help="seconds between flushes")

    def handle(self, *args, action: str, every: float, **options):
        run_every(
            every,
            lambda: votes_flush(wait=5.0),
            lambda n: self.stdout.write(f"{n} votes written"),
        )
