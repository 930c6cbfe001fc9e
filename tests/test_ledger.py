from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.ledger import Ledger


def test_stream_holds_initial_value_until_changed() -> None:
    ledger = Ledger(10)
    ledger.declare("fleet", [100.0, 50.0])
    ledger.set(4.0, "fleet", 30.0, index=1)
    hourly = ledger.hourly("fleet")
    assert hourly.shape == (10, 2)
    np.testing.assert_array_equal(hourly[:4], [[100.0, 50.0]] * 4)
    np.testing.assert_array_equal(hourly[4:], [[100.0, 30.0]] * 6)


def test_change_inside_an_hour_is_weighted_by_the_fraction_held() -> None:
    ledger = Ledger(3)
    ledger.declare("x", 10.0)
    ledger.set(1.25, "x", 2.0)
    ledger.set(1.75, "x", 6.0)
    # hour 1: 0.25 h at 10, 0.5 h at 2, 0.25 h at 6 -> 2.5 + 1 + 1.5 = 5
    np.testing.assert_allclose(ledger.hourly("x"), [10.0, 5.0, 6.0])


def test_same_time_changes_keep_the_last() -> None:
    ledger = Ledger(2)
    ledger.declare("x", 1.0)
    ledger.set(1.0, "x", 5.0)
    ledger.set(1.0, "x", 7.0)
    np.testing.assert_array_equal(ledger.hourly("x"), [1.0, 7.0])


def test_going_back_in_time_is_refused() -> None:
    ledger = Ledger(5)
    ledger.declare("x", 1.0)
    ledger.set(3.0, "x", 2.0)
    with pytest.raises(ValueError, match="precedes"):
        ledger.set(2.0, "x", 4.0)


def test_add_changes_elements_relative_to_current() -> None:
    ledger = Ledger(4)
    ledger.declare("v", [1.0, 2.0, 3.0])
    ledger.add(2.0, "v", -1.0, index=[0, 2])
    np.testing.assert_array_equal(ledger.current("v"), [0.0, 2.0, 2.0])


def test_events_table_is_time_ordered_with_json_quantities() -> None:
    ledger = Ledger(10)
    ledger.record(5.0, "p", "b", "s2", n=2)
    ledger.record(1.0, "p", "a", "s1", n=1)
    table = ledger.events_table()
    assert table["kind"] == ["a", "b"]
    assert table["quantities"][0] == '{"n": 1.0}'


@given(
    st.lists(st.tuples(st.floats(0, 48, allow_nan=False), st.floats(0, 100)), max_size=20),
    st.floats(0, 100),
)
def test_hourly_series_integrates_to_the_time_integral(
    changes: list[tuple[float, float]], initial: float
) -> None:
    ledger = Ledger(48)
    ledger.declare("x", initial)
    for t, v in sorted(changes):
        ledger.set(t, "x", v)
    # exact integral of the piecewise-constant function over [0, 48)
    times = [0.0] + [t for t, _ in sorted(changes)] + [48.0]
    values = [initial] + [v for _, v in sorted(changes)]
    integral = sum(v * (times[i + 1] - times[i]) for i, v in enumerate(values))
    assert ledger.hourly("x").sum() == pytest.approx(integral, rel=1e-9, abs=1e-9)


@given(
    st.lists(st.tuples(st.floats(0, 30, allow_nan=False), st.floats(0, 10)), max_size=12),
    st.floats(0, 10),
)
def test_segments_tile_the_run_and_reproduce_the_hourly_means(
    changes: list[tuple[float, float]], initial: float
) -> None:
    ledger = Ledger(24)
    ledger.declare("x", initial)
    for t, v in sorted(changes):
        ledger.set(t, "x", v)
    rebuilt = np.empty(24)
    edge = 0
    for a, b, value in ledger.segments("x"):
        assert a == edge
        assert b > a
        rebuilt[a:b] = value
        edge = b
    assert edge == 24
    np.testing.assert_allclose(rebuilt, ledger.hourly("x"), rtol=1e-12, atol=1e-12)


def test_overlay_swaps_and_removes_streams_without_touching_the_original() -> None:
    ledger = Ledger(4)
    ledger.declare("a", 1.0)
    ledger.declare("b", 2.0)
    ledger.set(2.0, "a", 3.0)
    other = Ledger(4)
    other.declare("a", 5.0)
    view = ledger.overlay({"a": other.stream("a"), "b": None})
    assert view.hourly("a").tolist() == [5.0, 5.0, 5.0, 5.0]
    assert not view.has("b")
    # the original is unchanged: a is 1 for two hours, then 3 (hand-worked)
    assert ledger.hourly("a").tolist() == [1.0, 1.0, 3.0, 3.0]
    assert ledger.has("b")


def test_declared_by_names_the_measure_writing_at_declaration_only() -> None:
    who = [""]
    ledger = Ledger(4, writer=lambda: who[0])
    ledger.declare("source.x", 1.0)
    who[0] = "retire_china3"
    ledger.declare("progress.retire_china3.done", 0.0)
    assert ledger.declared_by == {"progress.retire_china3.done": "retire_china3"}
