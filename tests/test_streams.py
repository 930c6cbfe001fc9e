from __future__ import annotations

import numpy as np
import pytest

from sim.streams import member_seeds, rng_for


def test_named_streams_are_reproducible_and_independent() -> None:
    a1 = rng_for(7, "weather").random(5)
    a2 = rng_for(7, "weather").random(5)
    b = rng_for(7, "sources.coal").random(5)
    np.testing.assert_array_equal(a1, a2)
    assert not np.allclose(a1, b)


def test_different_roots_differ() -> None:
    assert not np.allclose(rng_for(1, "weather").random(3), rng_for(2, "weather").random(3))


def test_member_seeds_are_distinct_and_stable() -> None:
    seeds = member_seeds(42, 10)
    assert len(set(seeds)) == 10
    assert seeds == member_seeds(42, 10)
    assert member_seeds(42, 3) == seeds[:3]


def test_negative_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="seed"):
        rng_for(-1, "x")
