"""The live router: which unit, nature and category a new case most likely has, and how sure.

Each target has a model file. The one shipped in `model/` is built from the training data in
`data/` by `qualitymonth routing build`; a city that trains its own (`routing train`) switches to
it with `routing use` or the admin, which marks a RouterModel row active.
"""

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from qualitymonth.complaints.routing import pipeline

logger = logging.getLogger("qualitymonth.routing")

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"
SHIPPED_DIR = HERE / "model"
TARGETS = ("unit", "nature", "category")

_lock = threading.Lock()
_loaded: dict[str, tuple[str, object]] = {}


@dataclass(frozen=True)
class Guess:
    label: str
    confidence: float


def training_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.csv"))


def shipped_path(target: str) -> Path:
    return SHIPPED_DIR / f"{target}.joblib"


def _active_path(target: str) -> Path:
    from qualitymonth.complaints.models import RouterModel

    chosen = (
        RouterModel.objects.filter(target=target, is_active=True)
        .values_list("path", flat=True)
        .first()
    )
    return Path(chosen) if chosen else shipped_path(target)


def _rebuild_locally(target: str) -> Path:
    """The shipped file could not be read (another scikit-learn, say): train the same model from
    the shipped data once, under var/."""
    path = Path(settings.VAR_DIR) / "routing" / f"{target}.joblib"
    if not path.exists():
        logger.warning("Training the %s router from the shipped data into %s", target, path)
        data = pipeline.read_many(training_files(), text_column="text", label_column=target)
        pipeline.save(pipeline.train(data), path, target=target, trained_on=len(data.texts))
    return path


def _model(target: str):
    path = _active_path(target)
    key = f"{path}:{path.stat().st_mtime if path.exists() else 0}"
    cached = _loaded.get(target)
    if cached and cached[0] == key:
        return cached[1]
    with _lock:
        try:
            model = pipeline.load(path)["pipeline"]
        except Exception:
            if path != shipped_path(target):
                raise
            logger.exception("Could not load %s", path)
            model = pipeline.load(_rebuild_locally(target))["pipeline"]
        _loaded[target] = (key, model)
    return model


def classify(text: str) -> dict[str, Guess]:
    """The best guess per target with its probability. A target whose model is missing or
    broken gives no guess, so the case goes to triage instead of failing the intake."""
    text = pipeline.normalize(text)
    guesses = {}
    for target in TARGETS:
        try:
            model = _model(target)
        except Exception:
            logger.exception("No %s router available", target)
            continue
        probabilities = model.predict_proba([text])[0]
        best = int(probabilities.argmax())
        guesses[target] = Guess(str(model.classes_[best]), float(probabilities[best]))
    return guesses


def reset() -> None:
    _loaded.clear()
