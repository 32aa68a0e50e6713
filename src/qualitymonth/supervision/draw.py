"""The "双随机" draw: which subjects are inspected and by whom. Pure Python, no Django, so anyone
can rerun a published draw with nothing but this file (or `qualitymonth supervision
verify-draw --file draw.json`).

How it works
------------
1. The seed is 64 hexadecimal characters fixed when the task is created; its SHA-256 digest is
   shown at once, the seed itself only after the draw, so nobody (the office included) could
   choose it after seeing the population, and anyone can check it was not changed.
2. Every subject of the population gets the rank HMAC-SHA256(key=seed, message="subject:<id>")
   (hexadecimal). Subjects are sorted by rank (then id); the first ``n`` are drawn, in that order.
3. For each drawn subject, every inspector gets the rank
   HMAC-SHA256(key=seed, message="inspector:<subject id>:<inspector id>"); the eligible ones are
   sorted by rank (then id) and the first ``per_subject`` go. Eligible: active, allowed to
   inspect the task's kind of subject and the subject's district, with no declared link to the
   subject (回避), and not of the subject's supervising unit when a check item says so.
   If fewer than ``per_subject`` are eligible the whole draw fails, naming the subject.
4. Replacements (a subject closed or gone, an inspector ill) take the next subject, or the next
   eligible inspector, in the same ranking that this draw has not used yet; a replacement
   subject must itself have enough eligible inspectors (else the next one is taken).

Everything the ranks depend on is the published population (subject ids, their districts,
the inspectors' units, kinds and districts, the declared links and the units that step aside),
so rerunning gives the same result, and changing any of it afterwards shows.
"""

import hashlib
import heapq
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


class DrawError(Exception):
    """The draw cannot be made as asked (a subject without enough eligible inspectors …)."""

    def __init__(self, message: str, *, subject: int | None = None):
        super().__init__(message)
        self.subject = subject


@dataclass(frozen=True)
class InspectorInfo:
    """What decides whether an inspector may be sent to a subject."""

    unit: int | None = None
    kinds: frozenset[str] | None = None  # None: any kind
    districts: frozenset[int] | None = None  # None: any district
    active: bool = True

    def may_inspect(self, *, kind: str | None, district: int | None) -> bool:
        if not self.active:
            return False
        if kind is not None and self.kinds is not None and kind not in self.kinds:
            return False
        if district is not None and self.districts is not None:
            return district in self.districts
        return True


@dataclass
class DrawnEntry:
    subject: int
    inspectors: list[int] = field(default_factory=list)


def rank(seed: str, message: str) -> str:
    return hmac.digest(seed.encode("ascii"), message.encode("ascii"), "sha256").hex()


# The rankings sort by the raw digests: the same order as their hex (a byte-wise order), without
# spelling out a hundred thousand strings. hmac.digest is the one-shot C path.
def _subject_key(seed: str):
    key = seed.encode("ascii")
    return lambda s: (hmac.digest(key, b"subject:%d" % s, "sha256"), s)


def subject_ranking(seed: str, subjects: Iterable[int]) -> list[int]:
    """Every subject of the population, in the order the seed gives."""
    return sorted(set(subjects), key=_subject_key(seed))


def first_subjects(seed: str, subjects: Iterable[int], n: int) -> list[int]:
    """The first n of subject_ranking, without sorting the rest."""
    return heapq.nsmallest(n, set(subjects), key=_subject_key(seed))


def inspector_ranking(seed: str, subject: int, inspectors: Iterable[int]) -> list[int]:
    key, prefix = seed.encode("ascii"), b"inspector:%d:" % subject
    return sorted(
        set(inspectors), key=lambda i: (hmac.digest(key, prefix + b"%d" % i, "sha256"), i)
    )


def eligible_inspectors(
    *,
    seed: str,
    subject: int,
    inspectors: Mapping[int, InspectorInfo],
    conflicts: set[tuple[int, int]],
    excluded_units: Mapping[int, int | None],
    kind: str | None = None,
    districts: Mapping[int, int | None] | None = None,
) -> list[int]:
    """The inspectors who may go to the subject, in the seed's order for it."""
    district = (districts or {}).get(subject)
    excluded = excluded_units.get(subject)
    # Who may go does not depend on the order: rank only those.
    eligible = [
        inspector
        for inspector, info in inspectors.items()
        if (inspector, subject) not in conflicts
        and not (excluded is not None and info.unit == excluded)
        and info.may_inspect(kind=kind, district=district)
    ]
    return inspector_ranking(seed, subject, eligible)


def draw(
    *,
    seed: str,
    subjects: list[int],
    inspectors: dict[int, InspectorInfo],
    conflicts: set[tuple[int, int]],
    excluded_units: dict[int, int | None],
    n: int,
    per_subject: int,
    kind: str | None = None,
    districts: Mapping[int, int | None] | None = None,
) -> list[DrawnEntry]:
    """The first ``n`` subjects of the ranking, each with its ``per_subject`` inspectors.
    ``kind`` and ``districts`` (subject id -> district id) narrow who is eligible; leaving them
    out skips those checks. Raises DrawError when a drawn subject lacks eligible inspectors."""
    if n < 0 or per_subject < 1:
        raise DrawError("n must be at least 0 and per_subject at least 1.")
    chosen = first_subjects(seed, subjects, n)
    result = []
    for subject in chosen:
        found = eligible_inspectors(
            seed=seed,
            subject=subject,
            inspectors=inspectors,
            conflicts=conflicts,
            excluded_units=excluded_units,
            kind=kind,
            districts=districts,
        )
        if len(found) < per_subject:
            raise DrawError(
                f"Subject {subject} has {len(found)} eligible inspectors; {per_subject} are needed.",
                subject=subject,
            )
        result.append(DrawnEntry(subject, found[:per_subject]))
    return result


def next_subject(
    *,
    seed: str,
    subjects: list[int],
    used: set[int],
    inspectors: dict[int, InspectorInfo],
    conflicts: set[tuple[int, int]],
    excluded_units: dict[int, int | None],
    per_subject: int,
    kind: str | None = None,
    districts: Mapping[int, int | None] | None = None,
) -> DrawnEntry:
    """The replacement of a subject: the next one in the ranking not used yet that has enough
    eligible inspectors, with its inspectors."""
    for subject in subject_ranking(seed, subjects):
        if subject in used:
            continue
        found = eligible_inspectors(
            seed=seed,
            subject=subject,
            inspectors=inspectors,
            conflicts=conflicts,
            excluded_units=excluded_units,
            kind=kind,
            districts=districts,
        )
        if len(found) >= per_subject:
            return DrawnEntry(subject, found[:per_subject])
    raise DrawError("No subject of the population is left to draw in its place.")


def next_inspector(
    *,
    seed: str,
    subject: int,
    used: set[int],
    inspectors: dict[int, InspectorInfo],
    conflicts: set[tuple[int, int]],
    excluded_units: dict[int, int | None],
    kind: str | None = None,
    districts: Mapping[int, int | None] | None = None,
) -> int:
    """The replacement of an inspector of a subject: the next eligible one not used for it."""
    for inspector in eligible_inspectors(
        seed=seed,
        subject=subject,
        inspectors=inspectors,
        conflicts=conflicts,
        excluded_units=excluded_units,
        kind=kind,
        districts=districts,
    ):
        if inspector not in used:
            return inspector
    raise DrawError(f"No eligible inspector is left for subject {subject}.", subject=subject)


# --- the published file -------------------------------------------------------------------------
@dataclass
class Population:
    """A task's population as stored in `Task.population` and published in draw.json."""

    subjects: list[int]
    inspectors: dict[int, InspectorInfo]
    conflicts: set[tuple[int, int]]
    excluded_units: dict[int, int | None]
    districts: dict[int, int | None]
    kind: str | None
    n: int
    per_subject: int

    @classmethod
    def from_json(cls, data: Mapping) -> "Population":
        """Reads the JSON shape (string keys, lists); raises ValueError on anything else."""
        try:
            info = data.get("inspector_info") or {}
            inspectors = {}
            for key in data["inspectors"]:
                item = info.get(str(key), {})
                kinds = item.get("kinds")
                districts = item.get("districts")
                inspectors[int(key)] = InspectorInfo(
                    unit=None if item.get("unit") is None else int(item["unit"]),
                    kinds=None if kinds is None else frozenset(str(k) for k in kinds),
                    districts=None if districts is None else frozenset(int(d) for d in districts),
                    active=bool(item.get("active", True)),
                )
            return cls(
                subjects=[int(s) for s in data["subjects"]],
                inspectors=inspectors,
                conflicts={(int(i), int(s)) for i, s in data.get("conflicts", [])},
                excluded_units={
                    int(s): None if u is None else int(u)
                    for s, u in (data.get("excluded_units") or {}).items()
                },
                districts={
                    int(s): None if d is None else int(d)
                    for s, d in (data.get("subject_districts") or {}).items()
                },
                kind=data.get("kind") or None,
                n=int(data["n"]),
                per_subject=int(data["per_subject"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            raise ValueError(f"Not a draw population: {error}") from None

    def to_json(self) -> dict:
        return {
            "subjects": list(self.subjects),
            "subject_districts": {str(s): d for s, d in sorted(self.districts.items())},
            "kind": self.kind,
            "inspectors": sorted(self.inspectors),
            "inspector_info": {
                str(i): {
                    "unit": info.unit,
                    "kinds": None if info.kinds is None else sorted(info.kinds),
                    "districts": None if info.districts is None else sorted(info.districts),
                    "active": info.active,
                }
                for i, info in sorted(self.inspectors.items())
            },
            "conflicts": sorted([i, s] for i, s in self.conflicts),
            "excluded_units": {str(s): u for s, u in sorted(self.excluded_units.items())},
            "n": self.n,
            "per_subject": self.per_subject,
        }

    def common(self) -> dict:
        return {
            "inspectors": self.inspectors,
            "conflicts": self.conflicts,
            "excluded_units": self.excluded_units,
            "kind": self.kind,
            "districts": self.districts,
        }


def replay(seed: str, population: Population, replacements: list[Mapping]) -> list[dict]:
    """The draw, then each replacement (subjects in the order they were replaced, then
    inspectors in the order they were replaced: neither changes what the other draws) as rows {"position", "subject", "active",
    "inspectors": [{"inspector", "active"}]}: what the task's stored rows must equal.
    A replacement is {"kind": "subject", "subject": id} or {"kind": "inspector", "subject": id,
    "inspector": id}."""
    first = draw(
        seed=seed,
        subjects=population.subjects,
        n=population.n,
        per_subject=population.per_subject,
        **population.common(),
    )
    rows = [
        {
            "position": position,
            "subject": entry.subject,
            "active": True,
            "inspectors": [{"inspector": i, "active": True} for i in entry.inspectors],
        }
        for position, entry in enumerate(first, start=1)
    ]
    for step in replacements:
        subject = int(step["subject"])
        row = next((r for r in rows if r["subject"] == subject), None)
        if row is None:
            raise DrawError(f"Replacement of subject {subject}, which is not drawn.")
        if step["kind"] == "subject":
            if not row["active"]:
                raise DrawError(f"Subject {subject} was replaced already.")
            row["active"] = False
            entry = next_subject(
                seed=seed,
                subjects=population.subjects,
                used={r["subject"] for r in rows},
                per_subject=population.per_subject,
                **population.common(),
            )
            rows.append(
                {
                    "position": len(rows) + 1,
                    "subject": entry.subject,
                    "active": True,
                    "inspectors": [{"inspector": i, "active": True} for i in entry.inspectors],
                }
            )
        else:
            inspector = int(step["inspector"])
            slot = next(
                (x for x in row["inspectors"] if x["inspector"] == inspector and x["active"]),
                None,
            )
            if slot is None:
                raise DrawError(f"Inspector {inspector} is not drawn for subject {subject}.")
            slot["active"] = False
            found = next_inspector(
                seed=seed,
                subject=subject,
                used={x["inspector"] for x in row["inspectors"]},
                **population.common(),
            )
            row["inspectors"].append({"inspector": found, "active": True})
    return rows


FILE_FORMAT = "qualitymonth-draw/1"


def verify_file(data: Mapping) -> list[str]:
    """What does not hold in a published draw file (empty: it verifies): the seed matches its
    digest, and rerunning the draw with the replacements gives the published rows."""
    problems = []
    try:
        seed = str(data["seed"])
        digest = str(data["seed_digest"])
        population = Population.from_json(data["population"])
        replacements = list(data.get("replacements") or [])
        published = list(data["drawn"])
    except (KeyError, TypeError, ValueError) as error:
        return [f"Not a draw file: {error}"]
    if not seed or hashlib.sha256(seed.encode("ascii", "replace")).hexdigest() != digest:
        problems.append("The seed does not match the digest published before the draw.")
    try:
        rerun = replay(seed, population, replacements)
    except (
        DrawError,
        KeyError,
        TypeError,
        ValueError,
        UnicodeEncodeError,
        OverflowError,
        AttributeError,
    ) as error:
        return [*problems, f"The draw cannot be rerun: {error}"]
    if _normal(rerun) != _normal(published):
        problems.append("Rerunning the draw gives other subjects or inspectors than published.")
    return problems


def _normal(rows) -> list:
    try:
        return sorted(
            (
                int(r["position"]),
                int(r["subject"]),
                bool(r["active"]),
                tuple((int(x["inspector"]), bool(x["active"])) for x in r["inspectors"]),
            )
            for r in rows
        )
    except (KeyError, TypeError, ValueError, OverflowError):
        return [None]
