"""The report's water-sections table (sim.report_html.water_sections_html) from summaries."""

from __future__ import annotations

from sim.report_html import water_sections_html


def _summary(cls: str, decide: str, margin: float) -> dict[str, object]:
    return {
        "water": {
            "sections": {"sancha": cls},
            "deciding_species": {"sancha": decide},
            "section_margin": {"sancha": {"tp": margin, "cod": -1.0}},
        }
    }


def test_table_gives_share_at_iii_the_usual_deciding_species_and_its_median_margin() -> None:
    # 3 members: two class III decided by TP (margins 0.01, 0.03), one class IV by TP (-0.02):
    # P = 2/3 = 0.67; TP decides in all; median of (0.01, 0.03, -0.02) = 0.01
    html = water_sections_html(
        [_summary("III", "tp", 0.01), _summary("III", "tp", 0.03), _summary("IV", "tp", -0.02)]
    )
    assert "<td>sancha</td><td class='n'>0.67</td><td>TP</td><td class='n'>+0.01</td>" in html


def test_no_table_without_water_margins() -> None:
    assert water_sections_html([{"air": {}}]) == ""
