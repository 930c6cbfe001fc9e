"""GB 3838-2002 classes and black-odorous grades."""

from __future__ import annotations

import numpy as np
import pytest

from sim.water.standards import (
    CLASS_NAMES,
    NOT_CLASSIFIABLE,
    annual_class,
    black_odorous_grade,
    monthly_class,
    share_class_iii_or_better,
    surface_water_class,
)

# GB 3838-2002 Table 1, typed from the standard (DOMAIN.md §7), class I..V
TABLE_1 = {
    "do": [7.5, 6, 5, 3, 2],
    "codmn": [2, 4, 6, 10, 15],
    "cod": [15, 15, 20, 30, 40],
    "bod5": [3, 3, 4, 6, 10],
    "nh3n": [0.15, 0.5, 1.0, 1.5, 2.0],
    "tp": [0.02, 0.1, 0.2, 0.3, 0.4],
}


# reporting decimals (mg/L): DO, CODMn, BOD5 0.1; COD 1; NH3-N, TP 0.01 (REPORTING_DECIMALS)
DECIMALS = {"do": 1, "codmn": 1, "cod": 0, "bod5": 1, "nh3n": 2, "tp": 2}


def test_values_are_rounded_as_reported_before_classification() -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in binary: reported 0.30, class IV (<= 0.3), not V
    assert surface_water_class(tp=0.1 + 0.2) == 4
    # GB/T 8170 half to even: 0.125 -> 0.12 (III... 0.12 <= 0.2), 20.5 -> 20 (III), 21.5 -> 22
    assert surface_water_class(tp=0.125) == 3
    assert surface_water_class(cod=20.5) == 3
    assert surface_water_class(cod=21.5) == 4
    assert surface_water_class(nh3n=1.004) == 3  # 1.00
    assert surface_water_class(nh3n=1.006) == 4  # 1.01


def test_nan_is_never_given_a_class() -> None:
    assert surface_water_class(nh3n=float("nan")) == NOT_CLASSIFIABLE
    # the worst item is unknown when one item is NaN, however good the others
    assert surface_water_class(do=8.0, cod=float("nan")) == NOT_CLASSIFIABLE
    cls = surface_water_class(nh3n=np.array([0.1, np.nan, 3.0]))
    np.testing.assert_array_equal(cls, [1, NOT_CLASSIFIABLE, 6])
    assert CLASS_NAMES[NOT_CLASSIFIABLE] == "not classifiable"
    with pytest.raises(ValueError, match="not classifiable"):
        share_class_iii_or_better(np.array([1, NOT_CLASSIFIABLE]))
    # a month without samples has no class
    assert monthly_class(np.array([1]), nh3n=np.array([[0.4]]))[1, 0] == NOT_CLASSIFIABLE


@pytest.mark.parametrize("item", sorted(TABLE_1))
def test_each_limit_is_the_edge_of_its_class(item: str) -> None:
    limits = TABLE_1[item]
    for limit in limits:
        # exactly at the limit: the best class whose limit it meets (equal limits share it)
        best = 1 + limits.index(limit)
        assert surface_water_class(**{item: limit}) == best
        # one reporting unit on the wrong side: the class after the last one sharing it
        unit = 10.0 ** -DECIMALS[item]
        worse = limit - unit if item == "do" else limit + unit
        assert surface_water_class(**{item: worse}) == 2 + max(
            i for i, x in enumerate(limits) if x == limit
        )
        # less than half a unit beyond: reported as the limit itself
        near = limit - 0.4 * unit if item == "do" else limit + 0.4 * unit
        assert surface_water_class(**{item: near}) == best


def test_shared_limits_skip_a_class() -> None:
    assert surface_water_class(cod=16.0) == 3  # I and II share 15 mg/L
    assert surface_water_class(bod5=3.5) == 3
    assert surface_water_class(do=2.5) == 5
    assert surface_water_class(nh3n=2.01) == 6


def test_worst_item_decides() -> None:
    assert surface_water_class(do=8.0, cod=12.0, nh3n=1.2, tp=0.05) == 4
    assert surface_water_class(do=1.0, cod=12.0) == 6
    assert surface_water_class(cod=45.0, nh3n=0.1) == 6


def test_classes_are_vectorised_and_broadcast() -> None:
    cls = surface_water_class(do=np.array([[8.0], [4.0]]), nh3n=np.array([0.1, 0.8, 2.5]))
    np.testing.assert_array_equal(cls, [[1, 3, 6], [4, 4, 6]])


def test_class_names() -> None:
    assert [CLASS_NAMES[c] for c in (1, 3, 5, 6)] == ["I", "III", "V", "worse than V"]


def test_black_odorous_grades_from_guideline_thresholds() -> None:
    grade = black_odorous_grade(do=[5.0, 1.5, 0.1, 5.0, 5.0], nh3n=[1.0, 1.0, 1.0, 10.0, 16.0])
    np.testing.assert_array_equal(grade, [0, 1, 2, 1, 2])


def test_monthly_class_uses_monthly_means() -> None:
    month = np.array([1, 1, 2, 2])
    # January NH3-N mean 1.2 -> IV although one day is II; February mean 0.5 -> II
    nh3n = np.array([[0.4], [2.0], [0.5], [0.5]])
    cls = monthly_class(month, nh3n=nh3n)
    assert cls.shape == (12, 1)
    assert cls[0, 0] == 4
    assert cls[1, 0] == 2


def test_annual_class_and_share_of_sections() -> None:
    cod = np.array([[10.0, 25.0, 50.0], [20.0, 25.0, 20.0]])  # 2 samples x 3 sections
    cls = annual_class(cod=cod)
    np.testing.assert_array_equal(cls, [1, 4, 5])
    assert share_class_iii_or_better(cls) == pytest.approx(1 / 3)


def test_class_iii_margin_is_distance_to_the_limit_as_reported() -> None:
    from sim.water.standards import class_iii_margin

    # hand: DO 6.23 reports 6.2, 6.2 - 5 = 1.2; TP 0.196 reports 0.20, 0.2 - 0.20 = 0;
    # COD 23.4 reports 23, 20 - 23 = -3; NH3-N 0.874 reports 0.87, 1.0 - 0.87 = 0.13
    assert float(class_iii_margin("do", 6.23)) == pytest.approx(1.2)
    assert float(class_iii_margin("tp", 0.196)) == pytest.approx(0.0, abs=1e-12)
    assert float(class_iii_margin("cod", 23.4)) == pytest.approx(-3.0)
    assert float(class_iii_margin("nh3n", 0.874)) == pytest.approx(0.13)


def test_deciding_item_is_the_worst_class_then_the_smallest_relative_margin() -> None:
    from sim.water.standards import deciding_item

    base = {"do": 6.0, "codmn": 4.5, "cod": 18.0, "bod5": 3.5, "nh3n": 0.6, "tp": 0.15}
    # every item class III (DO class II): the closest to its III limit relative to it decides:
    # codmn (6-4.5)/6 = 0.25, cod 2/20 = 0.10, bod5 0.5/4 = 0.125, nh3n 0.4, tp 0.25 -> cod
    assert deciding_item(base) == "cod"
    # COD 23 and TP 0.25 are both class IV: relative margins -3/20 = -0.15, -0.05/0.2 = -0.25
    assert deciding_item({**base, "cod": 23.0, "tp": 0.25}) == "tp"
    # DO 2.5 is class V, worse than any class IV item
    assert deciding_item({**base, "cod": 23.0, "tp": 0.25, "do": 2.5}) == "do"


def test_deciding_items_of_many_samples_equal_deciding_item_sample_by_sample() -> None:
    from sim.water.standards import deciding_item, deciding_items

    rng = np.random.default_rng(5)
    n = 200
    means = {
        "cod": rng.uniform(5.0, 45.0, n),
        "codmn": rng.uniform(1.0, 16.0, n),
        "bod5": rng.uniform(1.0, 11.0, n),
        "nh3n": rng.uniform(0.05, 2.5, n),
        "tp": rng.uniform(0.01, 0.5, n),
        "do": rng.uniform(1.0, 9.0, n),
    }
    means["cod"][:20] = 20.0  # ties in class: the margin decides
    got = deciding_items(means)
    want = [deciding_item({k: float(v[s]) for k, v in means.items()}) for s in range(n)]
    assert got == want
    assert len(set(want)) >= 4  # the case exercises several deciding items
