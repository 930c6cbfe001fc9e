"""The Shapley split worked out by hand."""

from __future__ import annotations

import pytest

from sim.air.shapley import shapley


def test_additive_outcome_gives_each_actor_its_own_effect() -> None:
    own = {"district": -0.8, "city": -0.3, "region": -0.1}
    split = shapley(list(own), lambda s: 40.0 + sum(own[a] for a in s))
    assert split == pytest.approx(own)


def test_two_player_interaction_is_shared_equally() -> None:
    # v(∅)=0, v(A)=1, v(B)=2, v(AB)=6: φ_A = ½(1-0) + ½(6-2) = 2.5, φ_B = ½(2-0) + ½(6-1) = 3.5
    table = {frozenset(): 0.0, frozenset("A"): 1.0, frozenset("B"): 2.0, frozenset("AB"): 6.0}
    assert shapley(["A", "B"], table.__getitem__) == pytest.approx({"A": 2.5, "B": 3.5})


def test_three_players_with_a_null_player_and_an_interaction() -> None:
    # v(S) = 1 if A and B both in S (a glove pair), C never matters: φ = ½, ½, 0
    split = shapley(["A", "B", "C"], lambda s: float({"A", "B"} <= s))
    assert split == pytest.approx({"A": 0.5, "B": 0.5, "C": 0.0})
    # non-additive and asymmetric: v = |S|² + 3·[A in S]; sum = v(N) - v(∅) = 12
    split = shapley(["A", "B", "C"], lambda s: len(s) ** 2 + 3.0 * ("A" in s))
    assert split == pytest.approx({"A": 6.0, "B": 3.0, "C": 3.0})
    assert sum(split.values()) == pytest.approx(12.0)
