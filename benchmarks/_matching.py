"""Synthetic matching instances for the solver benchmarks (fixed seed, no database)."""

from __future__ import annotations

from typing import Any

import numpy as np

GENDER_CHOICES = ["kvinna", "man", "icke-binär", "annat", "vill inte svara"]
GENDER_WEIGHTS = [0.47, 0.47, 0.02, 0.02, 0.02]


def instance_arrays(
    *, persons: int, offers: int, per_person: int = 25, max_capacity: int = 5, seed: int = 1
) -> dict[str, np.ndarray]:
    """Capacities 0–max_capacity, `per_person` distinct eligible offers per person, scores
    0–1000 drawn so that offers and persons differ (a popular offer scores higher)."""
    rng = np.random.default_rng(seed)
    k = min(per_person, offers)
    capacity = rng.integers(0, max_capacity + 1, offers)
    pair_person = np.repeat(np.arange(persons), k)
    pair_offer = (
        np.concatenate([rng.choice(offers, k, replace=False) for _ in range(persons)]) if k else np.zeros(0, int)
    )
    appeal = rng.integers(0, 400, offers)
    score = np.minimum(1000, appeal[pair_offer] + rng.integers(0, 601, len(pair_offer)))
    gender = rng.choice(len(GENDER_CHOICES), persons, p=GENDER_WEIGHTS)
    return {
        "capacity": capacity,
        "pair_person": pair_person,
        "pair_offer": pair_offer,
        "score": score,
        "gender": gender,
    }


def instance_json(arrays: dict[str, np.ndarray], **extra: Any) -> dict[str, Any]:
    """The instance file's content for the arrays."""
    persons = [{"id": f"u{i}", "gender": GENDER_CHOICES[g]} for i, g in enumerate(arrays["gender"].tolist())]
    offers = [{"id": f"e{j}", "capacity": c} for j, c in enumerate(arrays["capacity"].tolist())]
    pairs = [
        {"person": f"u{p}", "offer": f"e{o}", "score": s}
        for p, o, s in zip(
            arrays["pair_person"].tolist(), arrays["pair_offer"].tolist(), arrays["score"].tolist(), strict=True
        )
    ]
    return {"persons": persons, "offers": offers, "pairs": pairs, **extra}


def greedy_score(arrays: dict[str, np.ndarray], persons: int) -> tuple[int, int]:
    """Best pair first: (score sum, placed) of the greedy assignment."""
    order = np.argsort(-arrays["score"], kind="stable")
    left = arrays["capacity"].copy()
    placed = np.zeros(persons, dtype=bool)
    total = count = 0
    for p, o, s in zip(
        arrays["pair_person"][order].tolist(),
        arrays["pair_offer"][order].tolist(),
        arrays["score"][order].tolist(),
        strict=True,
    ):
        if not placed[p] and left[o] > 0:
            placed[p] = True
            left[o] -= 1
            total += s
            count += 1
    return total, count
