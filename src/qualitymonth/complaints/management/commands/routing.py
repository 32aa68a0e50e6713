"""`qualitymonth routing train|evaluate|build|use|export-reroutings`: the complaint router's
models, trained offline from labelled text."""

import csv
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

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
        files = router.training_files()
        for target in router.TARGETS:
            data = pipeline.read_many(files, text_column="text", label_column=target)
            model = pipeline.train(data)
            path = router.shipped_path(target)
            pipeline.save(model, path, target=target, trained_on=len(data.texts))
            self.stdout.write(f"{target}: {len(data.texts)} texts → {path}")
        router.reset()

    @transaction.atomic
    def _use(self, *, model, target, name, **_):
        from qualitymonth.complaints.models import RouterModel

        path = Path(model).resolve()
        payload = pipeline.load(path)
        RouterModel.objects.filter(target=target, is_active=True).update(is_active=False)
        row = RouterModel.objects.create(
            name=name or path.name, target=target, path=str(path), is_active=True
        )
        router.reset()
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
