"""`qualitymonth supervision <subcommand>`: supervision upkeep and checks.

verify-draw reruns a "双随机" draw, from the database (--task NUMBER) or offline from a
published draw.json (--file), and says whether it gives the published subjects and inspectors
(exit code 1 when it does not). remind-hazards tells each unit of its rectification orders past
their deadline without an answer (daily; once per order and deadline, so running it twice, or
on two nodes, tells nobody twice)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Supervision commands. verify-draw: rerun a random draw (--task NUMBER from the "
        "database, or --file draw.json offline) and report whether it matches; exit code 1 if "
        "not. 双随机抽取结果复核。"
    )

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser(
            "verify-draw",
            help="Rerun a draw and compare it with the stored or published one.",
            # Django's own options (--settings …) are the main parser's.
            add_help=True,
        )
        source = verify.add_mutually_exclusive_group(required=True)
        source.add_argument("--task", help="The task's number (e.g. CC2022-00001)")
        source.add_argument("--file", help="A draw.json downloaded from the results page")
        subcommands.add_parser(
            "remind-hazards", help="Tell the units of their overdue rectification orders."
        )

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify-draw":
            return self._verify(task=options.get("task"), file=options.get("file"))
        if subcommand == "remind-hazards":
            from django.utils import timezone

            from qualitymonth.supervision.services.hazards import hazards_remind

            told = hazards_remind(timezone.localdate())
            self.stdout.write(f"{told} overdue rectification orders told of")
            return None
        raise CommandError(f"Unknown subcommand {subcommand!r}.")

    def _verify(self, *, task: str | None, file: str | None) -> None:
        from qualitymonth.supervision import draw as algorithm

        if file:
            try:
                data = json.loads(Path(file).read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read {file}: {error}") from None
            if not isinstance(data, dict):
                raise CommandError(f"{file} is not a draw file.")
            label = str(data.get("task") or file)
            problems = algorithm.verify_file(data)
        else:
            from qualitymonth.supervision import draw_selectors
            from qualitymonth.supervision.models import Task

            found = Task.objects.filter(number=task).first()
            if found is None:
                raise CommandError(f"No task {task}.")
            label = found.number
            problems = draw_selectors.verify_task(found)
        if problems:
            for problem in problems:
                self.stderr.write(f"{label}: {problem}")
            self.stdout.write(f"{label}: does NOT match")
            raise SystemExit(1)
        self.stdout.write(f"{label}: the draw matches (seed digest and every row)")
