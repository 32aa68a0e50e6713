"""The routing classifier: how texts become features, how a model is trained and evaluated.

Citizens write short, colloquial Chinese with shop names, amounts and typos. Two views of the
text are combined: character 1–3-grams (robust to unknown words and typos, no segmentation
errors) and jieba words and word pairs (longer-range meaning). A linear SVM with balanced class
weights reads both; sigmoid calibration over three folds turns its margins into probabilities,
so "send to triage below 60 %" means what it says.
"""

import csv
import json
import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import joblib

FORMAT_VERSION = 1
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, every number the same token: amounts and order
    numbers say nothing about who is responsible."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _DIGITS.sub("0", text)
    return _SPACE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [token for token in jieba.lcut(text) if token.strip()]


def build_pipeline():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1, max_df=0.9
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    tokenizer=words,
                    token_pattern=None,
                    lowercase=False,
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                ),
            ),
        ]
    )
    svm = LinearSVC(C=0.7, class_weight="balanced")
    return Pipeline(
        [
            ("features", features),
            ("classify", CalibratedClassifierCV(svm, method="sigmoid", cv=3)),
        ]
    )


@dataclass
class Dataset:
    texts: list[str]
    labels: list[str]


def read_csv(path: str | Path, *, text_column: str, label_column: str) -> Dataset:
    """Rows with an empty text or label are skipped; a missing column is an error."""
    texts, labels = [], []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {text_column, label_column} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(
                f"{path}: no column {', '.join(sorted(missing))} "
                f"(columns: {', '.join(reader.fieldnames or [])})"
            )
        for row in reader:
            text, label = (row[text_column] or "").strip(), (row[label_column] or "").strip()
            if text and label:
                texts.append(normalize(text))
                labels.append(label)
    return Dataset(texts, labels)


def read_many(paths, *, text_column: str, label_column: str) -> Dataset:
    merged = Dataset([], [])
    for path in paths:
        part = read_csv(path, text_column=text_column, label_column=label_column)
        merged.texts += part.texts
        merged.labels += part.labels
    return merged


def train(data: Dataset):
    if len(set(data.labels)) < 2:
        raise ValueError("Training needs at least two different labels.")
    smallest = min(data.labels.count(label) for label in set(data.labels))
    if smallest < 3:
        raise ValueError("Every label needs at least three examples (calibration uses 3 folds).")
    pipeline = build_pipeline()
    pipeline.fit(data.texts, data.labels)
    return pipeline


def evaluate(pipeline, data: Dataset) -> dict:
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    predicted = pipeline.predict(data.texts)
    labels = sorted(set(data.labels) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        data.labels, predicted, labels=labels, zero_division=0
    )
    return {
        "accuracy": round(float(accuracy_score(data.labels, predicted)), 4),
        "macro_f1": round(
            float(
                f1_score(
                    data.labels,
                    predicted,
                    labels=sorted(set(data.labels)),
                    average="macro",
                    zero_division=0,
                )
            ),
            4,
        ),
        "n": len(data.texts),
        "labels": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
    }


def save(pipeline, path: str | Path, *, target: str, trained_on: int) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT_VERSION,
        "target": target,
        "trained_on": trained_on,
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "labels": [str(label) for label in pipeline.classes_],
        "pipeline": pipeline,
    }
    joblib.dump(payload, path, compress=3)


def load(path: str | Path) -> dict:
    """A model file written by `save` (a joblib pickle: load only files the city made itself)."""
    payload = joblib.load(path)
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path} is not a routing model file of this version.")
    return payload


def dumps_metrics(metrics: dict) -> str:
    return json.dumps(metrics, ensure_ascii=False, sort_keys=True)
