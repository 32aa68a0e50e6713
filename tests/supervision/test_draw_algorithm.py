"""The draw algorithm alone (supervision/draw.py): uniform, deterministic, never sends an
inspector with a conflict or of the subject's own unit, always enough inspectors, and rerun from
the published data gives the same rows."""

import hashlib
from collections import Counter

import pytest

from qualitymonth.supervision import draw as algorithm
from qualitymonth.supervision.draw import DrawError, InspectorInfo, Population

SUBJECTS = list(range(1, 51))


def _inspectors(n=8, units=2):
    return {100 + i: InspectorInfo(unit=i % units + 1) for i in range(n)}


def test_each_subject_is_drawn_about_n_out_of_N_times_over_2000_fixed_seeds():
    n, seeds = 10, [f"{i:064x}" for i in range(2000)]
    counts = Counter()
    for seed in seeds:
        chosen = algorithm.subject_ranking(seed, SUBJECTS)[:n]
        counts.update(chosen)
    expected = len(seeds) * n / len(SUBJECTS)  # 400
    # Binomial(2000, 0.2): sd ≈ 17.9; 6 sd either side cannot flake with fixed seeds anyway.
    assert all(abs(counts[s] - expected) < 110 for s in SUBJECTS), counts.most_common(3)
    assert sum(counts.values()) == len(seeds) * n


def test_inspectors_are_spread_evenly_over_many_seeds():
    inspectors = _inspectors(6)
    counts = Counter()
    for i in range(1500):
        result = algorithm.draw(
            seed=f"{i:064x}",
            subjects=[1],
            inspectors=inspectors,
            conflicts=set(),
            excluded_units={},
            n=1,
            per_subject=2,
        )
        counts.update(result[0].inspectors)
    expected = 1500 * 2 / 6  # 500
    assert all(abs(counts[i] - expected) < 120 for i in inspectors), counts


def test_the_same_seed_gives_the_same_draw_and_another_seed_another():
    args = dict(
        subjects=SUBJECTS,
        inspectors=_inspectors(),
        conflicts=set(),
        excluded_units={},
        n=5,
        per_subject=2,
    )
    first = algorithm.draw(seed="a" * 64, **args)
    assert first == algorithm.draw(seed="a" * 64, **args)
    assert first != algorithm.draw(seed="b" * 64, **args)
    # The rank is the documented HMAC: anyone can compute it.
    import hmac

    top = min(
        SUBJECTS,
        key=lambda s: hmac.new(b"a" * 64, f"subject:{s}".encode(), hashlib.sha256).hexdigest(),
    )
    assert first[0].subject == top


def test_conflicts_and_the_subjects_own_unit_are_never_drawn_and_each_subject_gets_its_inspectors():
    inspectors = _inspectors(8, units=2)  # units 1 and 2, four each
    conflicts = {(100, s) for s in SUBJECTS} | {(102, s) for s in SUBJECTS[:25]}
    excluded = {s: 2 for s in SUBJECTS[::2]}  # unit 2 steps aside for every other subject
    for i in range(300):
        result = algorithm.draw(
            seed=f"{i:064x}",
            subjects=SUBJECTS,
            inspectors=inspectors,
            conflicts=conflicts,
            excluded_units=excluded,
            n=10,
            per_subject=2,
        )
        assert len(result) == 10
        for entry in result:
            assert len(entry.inspectors) == 2 == len(set(entry.inspectors))
            assert all((i, entry.subject) not in conflicts for i in entry.inspectors)
            if entry.subject in excluded:
                assert all(inspectors[i].unit != 2 for i in entry.inspectors)


def test_kind_district_and_inactive_inspectors_are_respected():
    inspectors = {
        1: InspectorInfo(unit=1, kinds=frozenset({"canteen"}), districts=frozenset({7})),
        2: InspectorInfo(unit=1, kinds=frozenset({"canteen"}), districts=frozenset({7, 8})),
        3: InspectorInfo(unit=1, kinds=frozenset({"elevator"}), districts=frozenset({7, 8})),
        4: InspectorInfo(
            unit=1, kinds=frozenset({"canteen"}), districts=frozenset({8}), active=False
        ),
        5: InspectorInfo(unit=1, kinds=frozenset({"canteen"}), districts=frozenset({8})),
    }
    result = algorithm.draw(
        seed="c" * 64,
        subjects=[10, 11],
        inspectors=inspectors,
        conflicts=set(),
        excluded_units={},
        n=2,
        per_subject=2,
        kind="canteen",
        districts={10: 7, 11: 8},
    )
    by_subject = {e.subject: set(e.inspectors) for e in result}
    assert by_subject == {10: {1, 2}, 11: {2, 5}}


def test_too_few_eligible_inspectors_fails_naming_the_subject():
    inspectors = {1: InspectorInfo(unit=1), 2: InspectorInfo(unit=1)}
    with pytest.raises(DrawError) as failure:
        algorithm.draw(
            seed="d" * 64,
            subjects=[42],
            inspectors=inspectors,
            conflicts={(1, 42)},
            excluded_units={},
            n=1,
            per_subject=2,
        )
    assert failure.value.subject == 42 and "42" in str(failure.value)


def _population(**fields):
    data = dict(
        subjects=SUBJECTS,
        inspectors=_inspectors(6),
        conflicts={(101, 3)},
        excluded_units={4: 1},
        districts={},
        kind=None,
        n=4,
        per_subject=2,
    )
    data.update(fields)
    return Population(**data)


def test_replacements_take_the_next_unused_in_the_same_ranking_and_rerun_identically():
    seed = "e" * 64
    population = _population()
    rows = algorithm.replay(seed, population, [])
    ranking = algorithm.subject_ranking(seed, SUBJECTS)
    assert [r["subject"] for r in rows] == ranking[:4]
    first = rows[0]["subject"]
    ill = rows[1]["inspectors"][0]["inspector"]
    steps = [
        {"kind": "subject", "subject": first},
        {"kind": "inspector", "subject": rows[1]["subject"], "inspector": ill},
    ]
    replayed = algorithm.replay(seed, population, steps)
    assert replayed[0]["active"] is False and replayed[-1]["subject"] == ranking[4]
    assert replayed[-1]["position"] == 5
    slots = replayed[1]["inspectors"]
    assert [s["active"] for s in slots] == [False, True, True]
    assert slots[2]["inspector"] not in {s["inspector"] for s in slots[:2]}
    assert replayed == algorithm.replay(seed, population, steps)


def test_a_published_file_verifies_and_any_change_shows():
    seed = "f" * 64
    population = _population()
    data = {
        "seed": seed,
        "seed_digest": hashlib.sha256(seed.encode()).hexdigest(),
        "population": population.to_json(),
        "replacements": [],
        "drawn": algorithm.replay(seed, population, []),
    }
    assert algorithm.verify_file(data) == []
    assert Population.from_json(population.to_json()) == population
    swapped = {**data, "drawn": [dict(data["drawn"][0], subject=999), *data["drawn"][1:]]}
    assert algorithm.verify_file(swapped)
    assert algorithm.verify_file({**data, "seed_digest": "0" * 64})
    fewer = {**data, "population": {**data["population"], "subjects": SUBJECTS[:-10]}}
    assert algorithm.verify_file(fewer) or fewer["drawn"] == data["drawn"]
    assert algorithm.verify_file({"seed": 1}) and algorithm.verify_file({**data, "seed": "é"})


def test_the_rankings_are_the_published_recipe_spelled_out_with_hex_digests():
    """Anyone rerunning the draw follows the public page: sort by the HMAC-SHA256 hex digest of
    "subject:<id>" (then "inspector:<subject>:<inspector>"), ties by id. The fast path must
    give exactly that order."""
    import hashlib
    import hmac as hmac_module

    from qualitymonth.supervision import draw as algorithm

    seed = "5" * 64

    def recipe(message: str) -> str:
        return hmac_module.new(seed.encode(), message.encode(), hashlib.sha256).hexdigest()

    subjects = list(range(1, 400))
    expected = sorted(subjects, key=lambda s: (recipe(f"subject:{s}"), s))
    assert algorithm.subject_ranking(seed, subjects) == expected
    assert algorithm.first_subjects(seed, subjects, 25) == expected[:25]
    inspectors = list(range(1000, 1040))
    assert algorithm.inspector_ranking(seed, 7, inspectors) == sorted(
        inspectors, key=lambda i: (recipe(f"inspector:7:{i}"), i)
    )
    assert algorithm.rank(seed, "subject:1") == recipe("subject:1")
