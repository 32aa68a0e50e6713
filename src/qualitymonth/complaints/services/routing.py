"""Switching and rebuilding the live router: a change to how every new case is routed, so it
leaves an audit row like any other change, whether made in the admin or on the command line."""

from pathlib import Path

from django.db import transaction

from qualitymonth.complaints.models import RouterModel
from qualitymonth.complaints.routing import pipeline, router
from qualitymonth.core.audit import audit_record


def router_model_use(
    *, path: str | Path, target: str, name: str = "", actor=None, actor_label: str = ""
) -> tuple[RouterModel, dict]:
    """Make a trained model file the live router for `target`; returns the row and the loaded
    model (its labels and size). Refuses a file that is not a model (ValueError)."""
    path = Path(path).resolve()
    payload = pipeline.load(path)
    with transaction.atomic():
        previous = list(
            RouterModel.objects.filter(target=target, is_active=True).values_list("pk", flat=True)
        )
        RouterModel.objects.filter(pk__in=previous).update(is_active=False)
        row = RouterModel.objects.create(
            name=name or path.name, target=target, path=str(path), is_active=True
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            event_type="routing.model_activated",
            target=row,
            replaced=previous,
            labels=len(payload["labels"]),
            trained_on=payload["trained_on"],
        )
    router.reset()
    return row, payload


def router_models_build(*, actor=None, actor_label: str = "") -> dict[str, tuple[int, Path]]:
    """Retrain the shipped models from the shipped data: the live router wherever no city model
    is active. Returns, per target, how many texts it learnt from and where it was written."""
    built = {}
    for target in router.TARGETS:
        data = pipeline.read_many(router.training_files(), text_column="text", label_column=target)
        model = pipeline.train(data)
        path = router.shipped_path(target)
        pipeline.save(model, path, target=target, trained_on=len(data.texts))
        built[target] = (len(data.texts), path)
    router.reset()
    # The files are written by now; the row says so (a file is not rolled back with the row).
    audit_record(
        actor=actor,
        actor_label=actor_label,
        event_type="routing.models_built",
        trained_on={target: texts for target, (texts, _path) in built.items()},
        files=[str(path) for _texts, path in built.values()],
    )
    return built
