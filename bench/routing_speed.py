"""Routing classifier: training time and texts classified per second on one core, on the
shipped training data; and, on a stratified two-thirds / one-third split of the same data, the
router's macro-F1 beside a plain TF-IDF (jieba words) + linear SVM baseline trained and
evaluated the same way. The last line is one JSON object.
"""

import json
import os
import sys
import time
from pathlib import Path

# One core: BLAS and joblib threads off before numpy loads.
for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[name] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def baseline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    from qualitymonth.complaints.routing.pipeline import words

    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False)),
            ("svm", LinearSVC()),
        ]
    )


def main() -> int:
    from sklearn.metrics import f1_score
    from sklearn.model_selection import train_test_split

    from qualitymonth.complaints.routing import pipeline, router

    target = os.environ.get("BENCH_TARGET", "unit")
    data = pipeline.read_many(router.training_files(), text_column="text", label_column=target)
    pipeline.words("预热")  # load jieba's dictionary outside the timings

    started = time.perf_counter()
    model = pipeline.train(data)
    train_s = time.perf_counter() - started

    texts = data.texts * max(1, 3000 // len(data.texts))
    started = time.perf_counter()
    for text in texts:
        model.predict_proba([text])
    one_by_one = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    model.predict_proba(texts)
    batched = len(texts) / (time.perf_counter() - started)

    train_x, test_x, train_y, test_y = train_test_split(
        data.texts, data.labels, test_size=1 / 3, stratify=data.labels, random_state=7
    )
    ours = pipeline.train(pipeline.Dataset(train_x, train_y))
    plain = baseline().fit(train_x, train_y)
    labels = sorted(set(data.labels))
    ours_f1 = f1_score(test_y, ours.predict(test_x), labels=labels, average="macro")
    plain_f1 = f1_score(test_y, plain.predict(test_x), labels=labels, average="macro")

    print(f"{len(data.texts)} labelled texts, {len(labels)} labels ({target}), one core")
    print(f"training: {train_s:.2f} s")
    print(
        f"classify one at a time: {one_by_one:,.0f} texts/s; in one batch: {batched:,.0f} texts/s"
    )
    print(f"held-out third: router macro-F1 {ours_f1:.4f}, TF-IDF + SVM baseline {plain_f1:.4f}")
    print(
        json.dumps(
            {
                "texts_per_s": round(one_by_one, 1),
                "texts_per_s_batch": round(batched, 1),
                "train_s": round(train_s, 2),
                "n": len(data.texts),
                "macro_f1": round(ours_f1, 4),
                "baseline_macro_f1": round(plain_f1, 4),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
