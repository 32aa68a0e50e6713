import time

from django.core.management.base import BaseCommand

from qualitymonth.contest.services import votes_flush


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
        while True:
            written = votes_flush(wait=5.0)
            if written or not every:
                self.stdout.write(f"{written} votes written")
            if not every:
                return
            time.sleep(every)
