"""`qualitymonth routing train|evaluate|build|use|export-reroutings`: the complaint router's
models, trained offline from labelled text."""

import csv
import getpass
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualitymonth.complaints.routing import pipeline, router


class Command(BaseCommand):
    help = "Train, evaluate and switch the models that route complaints."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)

        train = actions.add_parser("train", help="train a model from a labelled CSV file")
        train.add_argument("--csv", required=True, action="append", dest="csv_files")
        train.add_argument("--text-column", default="text")
        train.add_argument("--label-column", default="label")
        train.add_argument("--out", required=True)

        evaluate = actions.add_parser("evaluate", help="accuracy and macro-F1 on a labelled CSV")
        evaluate.add_argument("--csv", required=True, action="append", dest="csv_files")
        evaluate.add_argument("--model", required=True)
        evaluate.add_argument("--text-column", default="text")
        evaluate.add_argument("--label-column", default="label")

        actions.add_parser("build", help="rebuild the shipped models from the shipped data")

        use = actions.add_parser("use", help="make a trained model file the live router")
        use.add_argument("model")
        use.add_argument("--target", choices=router.TARGETS, default="unit")
        use.add_argument("--name", default="")

        export = actions.add_parser(
            "export-reroutings", help="cases staff re-routed, as training rows (text,label)"
        )
        export.add_argument("--out", default="-")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error

    def _train(self, *, csv_files, text_column, label_column, out, **_):
        data = pipeline.read_many(csv_files, text_column=text_column, label_column=label_column)
        model = pipeline.train(data)
        pipeline.save(model, out, target=label_column, trained_on=len(data.texts))
        self.stderr.write(f"trained on {len(data.texts)} texts, {len(model.classes_)} labels")
        self.stdout.write(str(Path(out).resolve()))

    def _evaluate(self, *, csv_files, model, text_column, label_column, **_):
        data = pipeline.read_many(csv_files, text_column=text_column, label_column=label_column)
        if not data.texts:
            raise CommandError("No labelled rows to evaluate.")
        metrics = pipeline.evaluate(pipeline.load(model)["pipeline"], data)
        self.stdout.write(pipeline.dumps_metrics(metrics))

    def _build(self, **_):
        from qualitymonth.complaints.services.routing import router_models_build

        built = router_models_build(actor_label=_operator())
        for target, (texts, path) in built.items():
            self.stdout.write(f"{target}: {texts} texts → {path}")

    def _use(self, *, model, target, name, **_):
        from qualitymonth.complaints.services.routing import router_model_use

        row, payload = router_model_use(
            path=model, target=target, name=name, actor_label=_operator()
        )
        self.stdout.write(
            f"{row}: {len(payload['labels'])} labels, trained on {payload['trained_on']} texts"
        )

    def _export_reroutings(self, *, out, **_):
        from qualitymonth.complaints.models import Rerouting

        rows = Rerouting.objects.values_list("text", "to_unit__code")
        if out == "-":
            self._write_rows(sys.stdout, rows)
        else:
            with open(out, "w", encoding="utf-8", newline="") as handle:
                self._write_rows(handle, rows)

    @staticmethod
    def _write_rows(handle, rows) -> None:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(rows)


def _operator() -> str:
    """Who ran the command, for the audit row: the command line has no signed-in user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        return "cli"
