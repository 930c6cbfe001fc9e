"""The report's and the printed tables' words, in English and Chinese.

One dictionary of phrases keyed by a short English id; :func:`tr` picks the language and fills
``str.format`` fields. Names of targets, measures and sectors live in :mod:`sim.display_names`.
"""

from __future__ import annotations

from typing import Any

from sim.display_names import check_lang

__all__ = ["PHRASES", "STATUS", "criterion_text", "tr"]

#: id -> (English, Chinese).
PHRASES: dict[str, tuple[str, str]] = {
    "question": (
        "Will this bundle of measures meet this year's air and water targets — with what "
        "probability, at what cost, and which measure matters most?",
        "这组措施能否完成今年的大气和水环境目标？概率多大，花费多少，哪项措施最关键？",
    ),
    "report_title": ("sim report: {name}", "sim 报告：{name}"),
    "compare_title": ("sim comparison: {names}", "sim 方案比较：{names}"),
    "verdict": ("Verdict", "结论"),
    "scorecard": ("Scorecard", "目标完成情况"),
    "figures": ("Figures", "图表"),
    "scenario": ("Scenario", "情景"),
    "measures": ("Measures: reductions and costs", "措施：减排量与费用"),
    "inputs": ("Assumptions and their sources", "假设及其来源"),
    "inputs_summary": (
        "{n} inputs in {k} sections ({sourced} sourced, {assumed} assumed) — open to read",
        "{n} 项输入，分 {k} 部分（{sourced} 项有来源，{assumed} 项为假设）— 点击展开",
    ),
    "calibration": ("Model calibration", "模型校准"),
    "calibration_none": (
        "No fitted calibration found (calibration/fitted/*.yaml): the response parameters are "
        "the scenario's defaults, uncalibrated.",
        "未找到校准结果（calibration/fitted/*.yaml）：响应参数为情景默认值，未经校准。",
    ),
    "run_facts": (
        "District {district}; period {start} to {end}; root seed {seed}; {members}; "
        "scenario hash {hash}; sim {version}",
        "辖区 {district}；时段 {start} 至 {end}；根种子 {seed}；{members}；"
        "情景哈希 {hash}；sim {version}",
    ),
    "one_run": ("one run (one weather year)", "单次模拟（一个气象年）"),
    "n_members": ("{n} members (weather years)", "{n} 个成员（气象年）"),
    "target": ("target", "目标"),
    "plan_value": ("plan", "规划要求"),
    "value": ("value", "模拟值"),
    "median": ("median", "中位数"),
    "range": ("5–95 %", "5%–95%区间"),
    "p_met": ("P(met)", "达标概率"),
    "status": ("status", "状态"),
    "margin": ("margin", "余量"),
    "measure": ("measure", "措施"),
    "family": ("family", "措施类别"),
    "cost": ("cost", "费用"),
    "reduction": ("{p} cut", "{p}减排量"),
    "actors_title": ("Whose measures changed the air", "各方措施对空气质量的影响"),
    "actors_text": (
        "Change in annual PM2.5 by whose measures, against the same weather without measures "
        "(Shapley split; the three add up to the total): district {pm_district}, rest of Tianjin "
        "{pm_city}, region {pm_region} µg/m³. Good days: district {gd_district}, rest of Tianjin "
        "{gd_city}, region {gd_region} percentage points.",
        "与同一气象、无措施情形相比，各方措施带来的PM2.5年均浓度变化（Shapley分解，三者之和等于总变化）："
        "本区 {pm_district}、天津其他地区 {pm_city}、区域 {pm_region} 微克/立方米；优良天数比率："
        "本区 {gd_district}、天津其他地区 {gd_city}、区域 {gd_region} 个百分点。",
    ),
    "actors_median": (" Medians over the members.", "各成员中位数。"),
    "annualised_cost": ("annualised cost (per year)", "年化成本（每年）"),
    "decided_by": ("Decided by: {text}", "决定因素：{text}"),
    "decided_title": ("What decides these results", "决定这些结果的假设"),
    "alone_column": (
        "Hongqiao alone (city and region as in the baseline)",
        "仅本区实施（天津其他地区和区域维持基准情景）",
    ),
    "alone_line": (
        "Hongqiao alone (city and region as in the baseline): {value}, {status}",
        "仅本区实施（天津其他地区和区域维持基准情景）：{value}，{status}",
    ),
    "alone_assumption": (
        "Assumption deciding the air targets: the rest of Tianjin and the region carry out their "
        "own 2024 measures as listed in the scenario; the district's measures act on its own "
        "emissions only.",
        "决定空气目标的假设：天津其他地区和区域按情景所列实施其2024年自身措施；"
        "本区措施只作用于本区自身排放。",
    ),
    "cost_per_t": ("cost per t {p} (full-year cut)", "{p}每吨减排费用（按全年减排量）"),
    "booked_per_t": ("annualised CNY per t {p} cut", "{p}每吨减排的年化成本"),
    "per_t_short": ("CNY/yr per t {p}", "{p}每吨年化成本"),
    "cost_year": ("cost/yr", "年化成本"),
    "cost_per_t_none": (
        "– : no cut of this pollutant (of at least 0.1 t), so no cost per tonne",
        "–：该污染物无减排量（不足0.1吨），不计算每吨费用",
    ),
    "input": ("input", "输入"),
    "unit": ("unit", "单位"),
    "source": ("source", "来源"),
    "bundle": ("bundle", "方案"),
    "rank": ("rank", "排名"),
    "members": ("members", "成员数"),
    "targets_met": ("targets met (expected)", "预期达标目标数"),
    "bundles_ranked": ("Bundles ranked by {criterion}", "方案排名（按{criterion}）"),
    "targets_side": ("Targets side by side", "各方案目标对比"),
    "targets_differ": (
        "Targets whose result differs between bundles ({n} of {total})",
        "各方案结果不同的目标（{total} 项中的 {n} 项）",
    ),
    "targets_all": ("All {total} targets", "全部 {total} 项目标"),
    "targets_none_differ": (
        "Every target has the same result in every bundle.",
        "所有目标在各方案中结果相同。",
    ),
    "families_by_bundle": ("Reductions and costs by measure family", "各类措施的减排量与费用"),
    # sim optimise (sim/report_optimise.py)
    "opt_title": ("Optimisation: {name}", "优化：{name}"),
    "opt_min_cost": (
        "Least annualised cost such that {constraints}.",
        "在{constraints}的条件下，年化费用最低的措施组合。",
    ),
    "opt_max_p": (
        "The surest bundle within a budget of {budget}.",
        "在{budget}预算内达标概率最高的措施组合。",
    ),
    "opt_constraint": ("P({target} met) ≥ {p}", "{target}达标概率 ≥ {p}"),
    "opt_facts": (
        "{evaluations} bundles searched, {members} members each (the same members for every "
        "bundle); the best, {frontier} frontier bundles and the plan as written verified with "
        "{ensemble} fresh members; {c} Wilson intervals.",
        "共搜索 {evaluations} 个方案，每个方案 {members} 个成员（各方案成员相同）；最优方案、"
        "{frontier} 个前沿方案和规划原方案用 {ensemble} 个新成员验证；{c} Wilson 区间。",
    ),
    "opt_best": ("Best bundle", "最优方案"),
    "opt_field_target_fraction": ("share", "比例"),
    "opt_field_inspection_interval_days": ("inspection every (days)", "检查间隔（天）"),
    "opt_field_cleaning_interval_h": ("cleaning every (h)", "清扫间隔（小时）"),
    "opt_on": ("Measures on: {names}.", "实施的措施：{names}。"),
    "opt_off": ("Measures off: {names}.", "不实施的措施：{names}。"),
    "opt_settings": ("Intensities: {items}.", "强度：{items}。"),
    "opt_cost": (
        "Annualised cost {annual} a year; fiscal outlay {fiscal}.",
        "年化费用每年 {annual}；财政支出 {fiscal}。",
    ),
    "opt_p": (
        "P({target} met) = {p} ({c} interval {low}–{high}; required {need}).",
        "{target}达标概率 = {p}（{c}区间 {low}–{high}；要求 {need}）。",
    ),
    "opt_feasible": (
        "Feasible (every verified lower bound meets its constraint): {yes}.",
        "是否可行（各验证置信下限均满足约束）：{yes}。",
    ),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "opt_side": ("Verified bundles beside the plan as written", "验证方案与规划原方案对比"),
    "opt_label_best": ("best bundle", "最优方案"),
    "opt_label_frontier": ("frontier bundle", "前沿方案"),
    "opt_label_base": ("plan as written ({name})", "规划原方案（{name}）"),
    "opt_annualised": ("annualised cost a year", "年化费用（每年）"),
    "opt_fiscal": ("fiscal outlay", "财政支出"),
    "opt_p_col": ("P({target}) ≥ {need}", "{target}达标概率 ≥ {need}"),
    "opt_p_all": ("P(all met)", "全部达标概率"),
    "opt_feasible_col": ("feasible: search / verified", "可行：搜索 / 验证"),
    "opt_side_key": (
        "P(met) from {ensemble} fresh members with its {c} Wilson interval; a bundle is feasible "
        "only if every lower bound meets its constraint.",
        "达标概率来自 {ensemble} 个新成员，括号内为{c} Wilson 区间；"
        "仅当各置信下限均满足约束时方案才可行。",
    ),
    "opt_disagree": (
        "Search and verification disagree on feasibility for {n} of {total} bundles.",
        "搜索与验证对可行性的判断在 {total} 个方案中有 {n} 个不一致。",
    ),
    "opt_figure": ("Cost against probability", "费用与达标概率"),
    "opt_fig_x": ("annualised cost (MCNY/yr)", "年化费用（百万元/年）"),
    "opt_fig_y": ("P(all constrained targets met)", "全部约束目标的达标概率"),
    "opt_fig_candidates": ("candidates ({n} members each)", "候选方案（每个 {n} 个成员）"),
    "opt_fig_frontier": ("search frontier", "搜索前沿"),
    "opt_fig_best": ("best (verified)", "最优方案（验证）"),
    "opt_fig_verified": ("frontier (verified)", "前沿方案（验证）"),
    "opt_fig_base": ("plan as written: {name}", "规划原方案：{name}"),
    "opt_fig_required": ("required P", "要求的概率"),
    "opt_fig_title": (
        "{name}: cost against probability (verified: {n} members)",
        "{name}：费用与达标概率（验证：{n} 个成员）",
    ),
    "scenarios": ("Bundles", "方案"),
    "crn": (
        "{members} per bundle, common root seed {seed}: member k of every bundle shares its "
        "weather and exogenous draws.",
        "每个方案{members}，共同根种子 {seed}：各方案第 k 个成员使用相同的气象和外部随机抽样。",
    ),
    "inputs_last": ("Assumptions and their sources ({name})", "假设及其来源（{name}）"),
    "key": ("Key", "说明"),
    "no_figures": ("Figures were not drawn (--no-figures).", "未绘制图表（--no-figures）。"),
    # sim forecast (sim.report_forecast)
    "fc_title": ("Forecast as of {as_of}: are we on track?", "截至{as_of}的预测：能否按期达标？"),
    "fc_headline": (
        "Year-end PM2.5 {pm:.1f} µg/m³ (5–95 %: {pm05:.1f}–{pm95:.1f}); good days "
        "{good:.1%} ({good05:.1%}–{good95:.1%}).",
        "年末PM2.5预计 {pm:.1f} µg/m³（5%–95%：{pm05:.1f}–{pm95:.1f}）；优良天数比例 "
        "{good:.1%}（{good05:.1%}–{good95:.1%}）。",
    ),
    "light": ("outlook", "研判"),
    "light_green": ("on track (P ≥ 80 %)", "有望达标（概率≥80%）"),
    "light_amber": ("at risk (50–80 %)", "存在风险（50%–80%）"),
    "light_red": ("off track (P < 50 %)", "难以达标（概率<50%）"),
    "light_none": ("not evaluated", "未评估"),
    "fc_still_needed": ("What is still needed", "尚需完成"),
    "fc_need_pm25": (
        "PM2.5 must average {need} µg/m³ over the remaining {days} days to reach the target; "
        "the forecast expects {expect}.",
        "剩余{days}天PM2.5均值需不高于{need} µg/m³方能达标；预测值为{expect}。",
    ),
    "fc_need_good": (
        "{n} more good days are needed in the remaining {days} days.",
        "剩余{days}天中还需{n}个优良天。",
    ),
    "fc_behind": (
        "Behind schedule: {what} — reported {reported}, scheduled {scheduled} (behind by {by}).",
        "进度滞后：{what}——上报{reported}，计划{scheduled}（滞后{by}）。",
    ),
    "fc_days": ("{n} days", "{n}天"),
    "fc_none_behind": ("No reported measure is behind schedule.", "上报的措施均未滞后。"),
    "fc_no_progress": (
        "No progress reported: the measures follow the scenario's own schedule.",
        "未上报进度：措施按情景自身计划推进。",
    ),
    "fc_observed_assumed": ("What is observed and what is assumed", "观测与假设"),
    "fc_daily": ("daily values", "逐日数据"),
    "fc_periods": ("period means (bulletins), not daily values", "时段均值（通报），非逐日数据"),
    "fc_observed": (
        "Observed: {days} days, {first} to the day before {end}, {kind}; mean PM2.5 {pm} µg/m³. "
        "These days count as observed in every target.",
        "观测：{first}至{end}前一日共{days}天，{kind}；PM2.5均值 {pm} µg/m³。"
        "这些天在各项目标中按观测值计。",
    ),
    "fc_assumed": (
        "Assumed: the remaining days are the model's {members} members (own weather, uncertain "
        "inputs and fitted parameters), conditioned on the anomaly observed so far "
        "(observed/modelled {r:+.3f} in ln units, carried forward {level:+.3f}; "
        "prior sd {tau:.3f}).",
        "假设：剩余天数取模型{members}个成员（各自气象、不确定输入和拟合参数），"
        "并按迄今观测偏差修正（观测/模拟对数偏差{r:+.3f}，延续{level:+.3f}；先验标准差{tau:.3f}）。",
    ),
}
#: Ranking criteria of ``sim compare --rank-by`` -> (English, Chinese); {p}: a pollutant.
CRITERIA: dict[str, tuple[str, str]] = {
    "cost_per_t": ("cost per tonne of {p} cut", "{p}每吨减排费用"),
    "reduction": ("{p} cut", "{p}减排量"),
    "cost": ("cost", "费用"),
    "targets_met": ("targets expected to be met", "预期达标目标数"),
}
#: Target status -> (English, Chinese).
STATUS: dict[str, tuple[str, str]] = {
    "met": ("met", "达标"),
    "within tolerance": ("within tolerance", "在容差内"),
    "not met": ("not met", "未达标"),
    "not evaluated": ("not evaluated", "未评估"),
}


def tr(key: str, lang: str = "en", **fields: Any) -> str:
    """The phrase ``key`` in ``lang`` with ``fields`` filled in."""
    pair = PHRASES.get(key) or STATUS.get(key) or (key, key)
    text = pair[1] if check_lang(lang) == "zh" else pair[0]
    return text.format(**fields) if fields else text


def criterion_text(criterion: str, lang: str = "en") -> str:
    """A ranking criterion (``cost_per_t_PM2.5``, ``reduction_VOC``, ``cost``) in words."""
    from sim.display_names import display

    zh = check_lang(lang) == "zh"
    for key in ("cost_per_t", "reduction"):
        if criterion.startswith(key + "_"):
            pol = display("pollutant", criterion.removeprefix(key + "_"), lang)
            return CRITERIA[key][1 if zh else 0].format(p=pol)
    pair = CRITERIA.get(criterion)
    return criterion if pair is None else pair[1 if zh else 0]
