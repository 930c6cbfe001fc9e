"""An order-independent split of a change among actors: the Shapley value.

With ``v(S)`` the outcome when the actors in ``S`` carry out their measures (and the others do
not), the share of actor ``i`` is its marginal effect averaged over every order in which the
actors could have joined:

    φ_i = Σ_{S ⊆ N \\ {i}} |S|!·(n - |S| - 1)!/n! · (v(S ∪ {i}) - v(S)).

The shares sum to ``v(N) - v(∅)`` exactly (efficiency), an actor whose measures change nothing
gets 0 (null player), and for an additive outcome each actor gets its own effect. Shapley (1953),
*A value for n-person games*, Contributions to the Theory of Games II, 307-317.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from math import factorial

__all__ = ["shapley"]


def shapley(players: Sequence[str], value: Callable[[frozenset[str]], float]) -> dict[str, float]:
    """Shapley shares of ``value(N) - value(∅)`` among ``players`` (module docstring)."""
    n = len(players)
    cache: dict[frozenset[str], float] = {}

    def v(coalition: frozenset[str]) -> float:
        if coalition not in cache:
            cache[coalition] = float(value(coalition))
        return cache[coalition]

    out: dict[str, float] = {}
    for player in players:
        others = [p for p in players if p != player]
        total = 0.0
        for size in range(n):
            weight = factorial(size) * factorial(n - size - 1) / factorial(n)
            for members in combinations(others, size):
                s = frozenset(members)
                total += weight * (v(s | {player}) - v(s))
        out[player] = total
    return out
