"""Display names in English and Chinese: every target, measure, family, sector, section, pollutant.

One table for the whole package. The Chinese names of targets and measures are the plan's own
wording (红桥区持续深入打好污染防治攻坚战2024年工作计划, ``shared/seed``; DOMAIN.md §1), shortened
to a heading where the plan's sentence is long; the English names follow DOMAIN.md's digest.

Lookup is :func:`display`; an unknown key falls back to the key itself (``voc_reduction`` stays
readable rather than failing), so a new target shows up before its name is added here.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["KINDS", "LANGS", "NAMES", "NOT_VERBATIM", "Lang", "check_lang", "display"]

Lang = Literal["en", "zh"]
#: Languages of the report and the printed tables.
LANGS: tuple[str, ...] = ("en", "zh")

#: Chinese names that are not a verbatim phrase of the plan, and why.
NOT_VERBATIM: dict[str, str] = {
    "cod_reduction": "the plan names COD and NH3-N in one phrase (化学需氧量、氨氮重点工程减排量)",
}
#: kind -> key -> (English, Chinese).
NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "target": {
        "pm25_annual_mean": ("PM2.5 annual mean", "细颗粒物（PM2.5）年均浓度"),
        "good_days_ratio": ("Good-days ratio", "优良天数比率"),
        "voc_reduction": ("VOC reduction this year", "挥发性有机物当年减排量"),
        "sections_class_iii_or_better": (
            "National-control sections at class III or better",
            "地表水国控断面优良水质（达到或优于Ⅲ类）比例",
        ),
        "no_section_worse_than_v": ("No section worse than class V", "无劣Ⅴ类水体断面"),
        "cod_reduction": ("COD reduction from key projects", "化学需氧量重点工程减排量"),
        "nh3n_reduction": ("Ammonia-nitrogen reduction from key projects", "氨氮重点工程减排量"),
        "outlets_remediated": ("River outlets remediated", "入河排污口整治"),
        "construction_land_safe_use": (
            "Safe use of key construction land",
            "重点建设用地安全利用率",
        ),
        "large_site_monitoring": (
            "Sites ≥ 5,000 m² with video or dust monitoring",
            "占地面积5000平方米以上的施工工地安装视频监控或扬尘监测设施",
        ),
        "new_forklifts_new_energy": (
            "New or replaced forklifts < 3 t new-energy",
            "新增或更新的3吨以下叉车基本实现新能源化",
        ),
    },
    "measure": {
        "retire_china3": ("Retire China III and older vehicles", "推动国三及以下排放标准汽车淘汰"),
        "inuse_supervision": ("In-use vehicle emission supervision", "强化在用车排放监管"),
        "public_fleet_nev": ("New-energy vehicles in public fleets", "公共领域新能源汽车推广应用"),
        "forklift_electric": ("New-energy forklifts < 3 t", "3吨以下叉车基本实现新能源化"),
        "nonroad_registration": ("Non-road machinery coding and registration", "机械信息编码登记"),
        "fuel_quality": ("Fuel and urea quality checks", "加强车用油品、车用尿素监管"),
        "vapour_recovery": ("Vapour-recovery checks", "储运销环节油气回收系统专项检查"),
        "voc_retrofit": (
            "VOC treatment facility upgrades",
            "挥发性有机物（VOCs）企业治理设施升级改造",
        ),
        "voc_inspection": (
            "More checks in the ozone season",
            "臭氧污染防治攻坚期间加大检查检测力度",
        ),
        "low_voc_coatings": (
            "Low-VOC coatings and adhesives",
            "推广使用低挥发性有机物（VOCs）含量涂料和胶粘剂",
        ),
        "high_voc_restriction": (
            "Restrict high-VOC projects",
            "严格控制生产和使用高挥发性有机物（VOCs）含量涂料、油墨、胶粘剂、清洗剂等建设项目",
        ),
        "site_dust_control": ("Six 100 % at construction sites", "施工工程“六个百分之百”控尘措施"),
        "muck_truck_enclosure": ("Muck-truck control", "渣土运输车辆管控"),
        "bare_land_cover": ("Stockpile and bare-land control", "堆场扬尘、裸地管控"),
        "road_cleaning": ("Road cleaning judged by grams of dust", "“以克论净”"),
        "prefabricated_buildings": ("Prefabricated buildings", "推广使用装配式建筑"),
        "open_burning_patrol": ("Open-burning control", "露天焚烧面源污染管控"),
        "reburning_prevention": ("Prevent scattered-coal re-burning", "严防散煤复烧"),
        "coal_conversion": ("Control total coal use", "严控煤炭消费总量"),
        "restaurant_fumes": ("Restaurant cooking fumes", "油烟污染治理"),
        "restaurant_siting": ("Restaurant siting near homes", "居民楼附近餐饮服务单位布局管理"),
        "emergency_response": ("Heavy-pollution weather response", "重污染天气应对"),
        "rain_sewage_separation": ("Rain–sewage separation", "合流制片区雨、污分流改造"),
        "cross_connection_repair": ("Cross-connection repair", "雨污串接混接点改造"),
        "outlet_remediation": ("River-outlet remediation", "入河排污口排查溯源整治"),
        "first_flush_tanks": (
            "First-flush rainwater to treatment",
            "收集初期雨水调入污水处理厂处理",
        ),
        "network_clearing": ("Pre-flood-season network clearing", "汛前管网清掏"),
        "dumping_patrols": (
            "Patrols against dumping into rain drains",
            "加强洗车污水、餐饮泔水等进入雨水管网巡查检查",
        ),
        "hospital_wastewater": ("Hospital wastewater supervision", "加强医疗机构污水监管"),
        "rain_outlet_rule": ("Rain outlets dry outside the flood season", "非汛期雨水排口不排水"),
        "construction_land": ("Safe use of construction land", "确保重点建设用地安全利用"),
    },
    "family": {
        "vehicles": ("Mobile sources", "移动源污染治理"),
        "voc": ("Industrial sources (VOC)", "工业源深度治理"),
        "dust": ("Area (dust) sources", "面源管控"),
        "coal": ("Coal", "燃煤源"),
        "household": ("Household sources", "生活源综合治理"),
        "emergency": ("Heavy-pollution weather", "重污染天气应对"),
        "water": ("Water", "碧水保卫战"),
        "soil": ("Soil", "净土保卫战"),
    },
    "sector": {
        "mobile": ("Mobile", "移动源"),
        "industrial": ("Industrial", "工业源"),
        "coal": ("Coal", "燃煤源"),
        "dust": ("Dust", "扬尘源"),
        "household": ("Household", "生活源"),
    },
    "pollutant": {
        "PM2.5": ("PM2.5", "PM2.5"),
        "PM10": ("PM10", "PM10"),
        "NOx": ("NOx", "氮氧化物"),
        "SO2": ("SO2", "二氧化硫"),
        "VOC": ("VOC", "挥发性有机物"),
        "CO": ("CO", "一氧化碳"),
        "NH3": ("NH3", "氨"),
        "COD": ("COD", "化学需氧量"),
        "NH3-N": ("NH3-N", "氨氮"),
        # GB 3838-2002 items as the water outcome names them (water.deciding_species)
        "cod": ("COD", "化学需氧量"),
        "codmn": ("CODMn", "高锰酸盐指数"),
        "bod5": ("BOD5", "五日生化需氧量"),
        "nh3n": ("NH3-N", "氨氮"),
        "tp": ("TP", "总磷"),
        "do": ("DO", "溶解氧"),
    },
    "section": {
        "run": ("Run", "运行设置"),
        "district": ("District", "辖区"),
        "meteorology": ("Meteorology", "气象"),
        "sources": ("Emission sources", "排放源"),
        "air": ("Air quality", "空气质量"),
        "water": ("Water", "水环境"),
        "policies": ("Measures", "重点任务"),
        "targets": ("Targets", "主要目标"),
        "haihe_sancha": ("Haihe at Sancha", "海河三岔口"),
        "ziya_outlet": ("Ziya River outlet", "子牙河出口"),
        "south_canal_outlet": ("South Canal outlet", "南运河出口"),
        "north_canal_outlet": ("North Canal outlet", "北运河出口"),
    },
}
#: The kinds of :data:`NAMES`.
KINDS: tuple[str, ...] = tuple(NAMES)


def check_lang(lang: str) -> Lang:
    """``lang`` if it is a known language, else a ValueError naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"lang(={lang!r}) must be one of {', '.join(LANGS)}")
    return "zh" if lang == "zh" else "en"


def display(kind: str, key: str, lang: str = "en") -> str:
    """The display name of ``key`` (a target, measure, family, ...) in ``lang``.

    Examples
    --------
    >>> display("target", "good_days_ratio", "zh")
    '优良天数比率'
    >>> display("measure", "not_in_the_table")
    'not_in_the_table'
    """
    pair = NAMES.get(kind, {}).get(key)
    if pair is None:
        return key
    return pair[1] if check_lang(lang) == "zh" else pair[0]
