"""Emission factors of road vehicles (g/km) and non-road machinery (g/kWh), with their sources.

On-road base factors are the MEE 2014 road-vehicle inventory guideline's (30 km/h, 15 °C, 50 % RH),
read from ``sim/data/vehicle_ef_mee2014_gkm.csv``. Where the guideline has no China VI value, or no
row at all (urban buses), the factor is derived by the rules documented on :data:`CHINA6_RULES`
and :data:`BUS_FROM`. SO2 follows from fuel sulfur and fuel use, NH3 from three-way catalysts.

References
----------
MEE 2014
    Ministry of Environmental Protection, 道路机动车大气污染物排放清单编制技术指南（试行）, 2014.
Wang et al. 2022
    Real-world NOx of China VI vs China V heavy-duty vehicles, 1.42 vs 3.89 g/km,
    Sci. Total Environ. 157209 (DOMAIN.md §5, H).
Wang X. et al. 2019
    Ammonia emissions from China-6 compliant gasoline vehicles tested over the WLTC,
    Atmos. Environ. 199:136-142: 0.65-8.01 mg/km.
Liu T. et al. 2014
    NH3 from on-road vehicles, Guangzhou tunnel, Environ. Res. Lett. 9:064027: 229.5 mg/km.
GB 20891-2007 / GB 20891-2014
    Non-road diesel engine limits (stages I-IV), as tabulated by DieselNet "China: Nonroad
    Engines"; the Japanese MOE table of the same EU Stage II values (37-75 kW: NOx 7.0, HC 1.3,
    CO 5.0, PM 0.4 g/kWh).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from sim.sources.base import POLLUTANTS

__all__ = [
    "BUS_FROM",
    "CHINA6_RULES",
    "FUEL_DENSITY_KG_L",
    "FUEL_USE_L_100KM",
    "NONROAD_STAGES",
    "STANDARDS",
    "VEHICLE_CLASSES",
    "ColdCorrection",
    "cold_multipliers",
    "nonroad_factors_g_kwh",
    "read_mee2014",
    "road_factors_g_km",
    "standard_rank",
    "vehicle_fuel",
]

#: Vehicle classes of the on-road fleet.
VEHICLE_CLASSES: tuple[str, ...] = (
    "car",
    "taxi",
    "bus",
    "light_truck",
    "medium_truck",
    "heavy_truck",
)
#: Emission standards, oldest first; ``nev`` is new-energy (battery or fuel cell: no exhaust).
STANDARDS: tuple[str, ...] = (
    "pre",
    "china1",
    "china2",
    "china3",
    "china4",
    "china5",
    "china6",
    "nev",
)
_CSV_STANDARDS = ("PRE", "I", "II", "III", "IV", "V", "VI")
_CSV_ROWS: dict[str, tuple[str, str]] = {
    "car": ("PV", "Small"),
    "taxi": ("PV", "Taxi"),
    "light_truck": ("Trucks", "Light"),
    "medium_truck": ("Trucks", "Medium"),
    "heavy_truck": ("Trucks", "Heavy"),
}
#: CSV pollutant name -> sim pollutant (the guideline's HC is reported as VOC).
_CSV_POLLUTANT = {"CO": "CO", "HC": "VOC", "NOx": "NOx", "PM10": "PM10", "PM2.5": "PM2.5"}

#: Urban buses have no row in the CSV: they take the heavy diesel truck's factors
#: (assumed: both are heavy-duty diesel engines certified to the same GB 17691 limits; a bus's
#: stop-and-go duty likely raises NOx, so this errs low).
BUS_FROM = "heavy_truck"

#: China VI from China V where the CSV is blank, as multipliers on the China V value.
#: Diesel NOx: real-world ratio 1.42/3.89 (Wang et al. 2022, H). Everything else: the China V
#: value (assumed: conservative; China VI tightens limits but real-world gains are unquantified).
CHINA6_RULES: dict[tuple[str, str], float] = {("diesel", "NOx"): 1.42 / 3.89}

#: Fuel use per class, L/100 km (assumed: typical Chinese fleet values; cars ~7-8 L/100 km,
#: urban diesel buses ~30-40 L/100 km). Used only for SO2.
FUEL_USE_L_100KM: dict[str, float] = {
    "car": 7.5,
    "taxi": 8.5,
    "bus": 35.0,
    "light_truck": 10.0,
    "medium_truck": 18.0,
    "heavy_truck": 30.0,
}
#: Fuel densities, kg/L (assumed: mid-range of GB 17930 gasoline 0.720-0.775 and GB 19147
#: diesel 0.810-0.850 at 20 °C).
FUEL_DENSITY_KG_L: dict[str, float] = {"gasoline": 0.74, "diesel": 0.83}

#: NH3 from gasoline vehicles with three-way catalysts, g/km. China VI: 0.004 (middle of
#: 0.65-8.01 mg/km, Wang X. et al. 2019, M). China I-V: 0.025 (assumed: between the China-6
#: dynamometer values and 229.5 mg/km from a 2004-era fleet in a Guangzhou tunnel, Liu 2014).
#: Pre-China-I: no catalyst, 0.002 (assumed). Diesel: 0 (assumed; SCR slip neglected).
_NH3_GASOLINE_G_KM: dict[str, float] = {
    "pre": 0.002,
    "china1": 0.025,
    "china2": 0.025,
    "china3": 0.025,
    "china4": 0.025,
    "china5": 0.025,
    "china6": 0.004,
    "nev": 0.0,
}


def vehicle_fuel(vehicle_class: str) -> str:
    """Fuel of a (non-new-energy) vehicle class: ``"gasoline"`` for cars and taxis, else diesel."""
    if vehicle_class not in VEHICLE_CLASSES:
        raise ValueError(f"vehicle_class(={vehicle_class!r}) must be one of {VEHICLE_CLASSES}.")
    return "gasoline" if vehicle_class in ("car", "taxi") else "diesel"


def standard_rank(standard: str) -> int:
    """Rank of an emission standard: 0 pre-China-I, 1-6 China I-VI, 7 new-energy.

    ``standard_rank(s) <= 3`` selects "China III and older" (the plan's 国三及以下).
    """
    try:
        return STANDARDS.index(standard)
    except ValueError:
        raise ValueError(f"standard(={standard!r}) must be one of {STANDARDS}.") from None


def read_mee2014() -> dict[tuple[str, str, str], float]:
    """Read the MEE 2014 base factors: ``{(vehicle_class, standard, pollutant): g/km}``.

    Blank cells are left out. Only the CSV's classes appear (not ``bus``, not ``nev``).
    """
    text = resources.files("sim").joinpath("data/vehicle_ef_mee2014_gkm.csv").read_text("utf-8")
    by_row = {row: cls for cls, row in _CSV_ROWS.items()}
    out: dict[tuple[str, str, str], float] = {}
    for rec in csv.DictReader(text.splitlines()):
        cls = by_row.get((rec["VEH"], rec["TYPE"]))
        pollutant = _CSV_POLLUTANT.get(rec["POLLUTANT"])
        if cls is None or pollutant is None:
            continue
        for csv_std, std in zip(_CSV_STANDARDS, STANDARDS[:-1], strict=True):
            cell = rec[csv_std].strip()
            if cell:
                out[(cls, std, pollutant)] = float(cell)
    return out


def road_factors_g_km(fuel_sulfur_mg_kg: float = 10.0) -> NDArray[np.float64]:
    """Exhaust factors of every cohort, g/km: shape ``(classes, standards, pollutants)``.

    Axes follow :data:`VEHICLE_CLASSES`, :data:`STANDARDS` and :data:`POLLUTANTS`.

    Parameters
    ----------
    fuel_sulfur_mg_kg
        Fuel sulfur content, mg/kg (China VI fuel: 10). SO2 = 2 × S × fuel mass per km
        (SO2 has twice the molar mass of S; all sulfur assumed oxidised).
    """
    if fuel_sulfur_mg_kg < 0:
        raise ValueError(f"fuel_sulfur_mg_kg(={fuel_sulfur_mg_kg}) must be >= 0.")
    base = read_mee2014()
    p_idx = {p: i for i, p in enumerate(POLLUTANTS)}
    out = np.zeros((len(VEHICLE_CLASSES), len(STANDARDS), len(POLLUTANTS)))
    for ci, cls in enumerate(VEHICLE_CLASSES):
        src = BUS_FROM if cls == "bus" else cls
        fuel = vehicle_fuel(cls)
        for si, std in enumerate(STANDARDS):
            if std == "nev":
                continue  # no exhaust; tyre and road dust belong to the dust category
            for pollutant in _CSV_POLLUTANT.values():
                value = base.get((src, std, pollutant))
                if value is None and std == "china6":
                    rule = CHINA6_RULES.get((fuel, pollutant), 1.0)
                    value = base[(src, "china5", pollutant)] * rule
                if value is None:
                    raise ValueError(f"no factor for {src}/{std}/{pollutant} in MEE 2014.")
                out[ci, si, p_idx[pollutant]] = value
            fuel_g_km = FUEL_USE_L_100KM[cls] / 100.0 * FUEL_DENSITY_KG_L[fuel] * 1000.0
            out[ci, si, p_idx["SO2"]] = 2.0 * fuel_sulfur_mg_kg * 1e-6 * fuel_g_km
            if fuel == "gasoline":
                out[ci, si, p_idx["NH3"]] = _NH3_GASOLINE_G_KM[std]
    return out


@dataclass(frozen=True)
class ColdCorrection:
    """Multipliers on base factors in hours below ``threshold_c`` (DOMAIN.md §5, MEE 2014, H).

    Gasoline HC (VOC) ×1.47, NOx ×1.15, CO ×1.36; heavy diesel (heavy trucks and buses) PM ×1.7.
    """

    threshold_c: float = 10.0
    gasoline_voc: float = 1.47
    gasoline_nox: float = 1.15
    gasoline_co: float = 1.36
    heavy_diesel_pm: float = 1.7


def cold_multipliers(correction: ColdCorrection) -> NDArray[np.float64]:
    """Cold-hour multipliers, shape ``(classes, standards, pollutants)``; 1 where none applies."""
    out = np.ones((len(VEHICLE_CLASSES), len(STANDARDS), len(POLLUTANTS)))
    p = {name: i for i, name in enumerate(POLLUTANTS)}
    for ci, cls in enumerate(VEHICLE_CLASSES):
        if vehicle_fuel(cls) == "gasoline":
            out[ci, :, p["VOC"]] = correction.gasoline_voc
            out[ci, :, p["NOx"]] = correction.gasoline_nox
            out[ci, :, p["CO"]] = correction.gasoline_co
        elif cls in ("heavy_truck", "bus"):
            out[ci, :, p["PM2.5"]] = correction.heavy_diesel_pm
            out[ci, :, p["PM10"]] = correction.heavy_diesel_pm
    return out


#: Non-road engine stages, oldest first.
NONROAD_STAGES: tuple[str, ...] = ("pre", "stage1", "stage2", "stage3", "stage4")

#: Diesel non-road factors, g/kWh, for 37-75 kW engines: the type-approval limits (M: real-world
#: NOx is 24-225 % above limits in Chinese field tests, so these err low). Stage I/II GB 20891-2007
#: (I: CO 6.5, HC 1.3, NOx 9.2, PM 0.85; II: CO 5.0, HC 1.3, NOx 7.0, PM 0.4); stage III
#: GB 20891-2014 (HC+NOx 4.7 split 0.4/4.3, assumed; PM 0.4); stage IV (56-130 kW: CO 5.0,
#: HC 0.19, NOx 3.3, PM 0.025). Pre-stage: assumed ~US Tier 0 (NOx 12, HC 2.0, CO 8.0, PM 1.2).
_DIESEL_G_KWH: dict[str, dict[str, float]] = {
    "pre": {"NOx": 12.0, "VOC": 2.0, "CO": 8.0, "PM10": 1.2},
    "stage1": {"NOx": 9.2, "VOC": 1.3, "CO": 6.5, "PM10": 0.85},
    "stage2": {"NOx": 7.0, "VOC": 1.3, "CO": 5.0, "PM10": 0.4},
    "stage3": {"NOx": 4.3, "VOC": 0.4, "CO": 5.0, "PM10": 0.4},
    "stage4": {"NOx": 3.3, "VOC": 0.19, "CO": 5.0, "PM10": 0.025},
}
#: LPG (spark-ignition) forklifts, g/kWh: US EPA large SI engine standard (40 CFR 1048, 2007):
#: HC+NOx 2.7 (split 0.5/2.2, assumed), CO 4.4; PM 0.03 (assumed). Same for every stage.
_LPG_G_KWH: dict[str, float] = {"NOx": 2.2, "VOC": 0.5, "CO": 4.4, "PM10": 0.03}
#: PM2.5 share of diesel PM (assumed: diesel exhaust PM is nearly all fine; 0.92 as in common
#: inventory practice). LPG PM: all PM2.5 (assumed).
_DIESEL_PM25_OF_PM10 = 0.92
#: Brake-specific fuel consumption, g/kWh (assumed: typical diesel 250, LPG 300). Used for SO2.
_BSFC_G_KWH: dict[str, float] = {"diesel": 250.0, "lpg": 300.0}


def nonroad_factors_g_kwh(
    fuel: str, stage: str, fuel_sulfur_mg_kg: float = 10.0
) -> NDArray[np.float64]:
    """Factors of one non-road machine type, g/kWh of engine output, over :data:`POLLUTANTS`.

    ``fuel`` is ``"diesel"``, ``"lpg"`` or ``"electric"`` (all zero). LPG has sulfur near zero and
    gets no SO2.
    """
    if stage not in NONROAD_STAGES:
        raise ValueError(f"stage(={stage!r}) must be one of {NONROAD_STAGES}.")
    out = np.zeros(len(POLLUTANTS))
    p = {name: i for i, name in enumerate(POLLUTANTS)}
    if fuel == "electric":
        return out
    if fuel == "diesel":
        table, pm25_share = _DIESEL_G_KWH[stage], _DIESEL_PM25_OF_PM10
        out[p["SO2"]] = 2.0 * fuel_sulfur_mg_kg * 1e-6 * _BSFC_G_KWH["diesel"]
    elif fuel == "lpg":
        table, pm25_share = _LPG_G_KWH, 1.0
    else:
        raise ValueError(f"fuel(={fuel!r}) must be 'diesel', 'lpg' or 'electric'.")
    for name, value in table.items():
        out[p[name]] = value
    out[p["PM2.5"]] = table["PM10"] * pm25_share
    return out
