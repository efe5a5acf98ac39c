"""Words users see, in Chinese and English, that need no model: labels, messages, reasons.

It imports only the standard library, so that messages said before a command has loaded
anything (a usage error, an interrupt) cost nothing; qcheck.i18n formats results with them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
INTERPRETED_MARK = "※"  # beside a target whose rule the plan leaves open

LABELS: dict[str, tuple[str, str]] = {
    "title": ("{city}{year}年质量目标核查", "{city}: quality targets, {year}"),
    "sources": ("数据来源", "Data"),
    "indicator": ("指标", "Indicator"),
    "target": ("目标", "Target"),
    "actual": ("实际", "Actual"),
    "gap": ("差距", "Gap"),
    "status": ("状态", "Status"),
    "notes": ("说明", "Notes"),
    "pass": ("达标", "met"),
    "fail": ("未达标", "not met"),
    "missing": ("缺数据", "missing"),
    "met": ("达到", "met"),
    "not_met": ("未达到", "not met"),
    "done": ("完成", "done"),
    "not_done": ("未完成", "not done"),
    "summary": (
        "共{total}项：达标{passed}项，未达标{failed}项，缺数据{missing}项",
        "{total} targets: {passed} met, {failed} not met, {missing} missing",
    ),
    "summary_not_due": ("，未到期{count}项", ", {count} not yet due"),
    "not_due": ("未到期", "not yet due"),
    "mean_of": ("{count}县区平均", "mean of {count} regions"),
    "weighted_mean_of": ("{count}县区加权平均", "weighted mean of {count} regions"),
    "every_region_of": ("{count}个县区均{test}", "each of {count} regions {test}"),
    "k_of_regions": ("{count}个县区中至少{k}个{test}", "at least {k} of {count} regions {test}"),
    "interpreted": (
        "※ 方案未明确，qcheck 的解释",
        "※ rule left open by the plan; qcheck's reading",
    ),
    "plan_words": ("方案原文", "Plan"),
    "baseline": ("基准{year}年 {value}", "baseline {year}: {value}"),
    "area": ("领域", "Area"),
    "id": ("编号", "id"),
    "lead_units": ("牵头单位", "Lead units"),
    "where": ("位置", "Where"),
    "report": ("报告", "Report"),
    "totals": ("合计", "Totals"),
    "input_error": ("输入有误", "input error"),
    "matrix": ("汇总：各报告 × 各指标", "Summary: reports × targets"),
    "legend": ("图例", "Legend"),
    "code": ("代码", "Code"),
    "problem": ("问题", "Problem"),
    "more": ("……另有{count}项未列出", "... and {count} more"),
    # Warnings about the input, carried by every output format beside the results.
    "with_warnings": (
        "{summary}；输入有{count}条警告",
        "{summary}, with {count} warning(s) about the input",
    ),
    "input_warnings": ("输入警告", "Warnings about the input"),
    "warning_count": ("输入有{count}条警告", "{count} warning(s) about the input"),
    "first_warning": (
        "输入有{count}条警告；第一条：{first}",
        "{count} warning(s) about the input; first: {first}",
    ),
    "warnings_elsewhere": (
        "输入有{count}条警告，已列在标准错误输出中；qcheck validate 也会列出",
        "{count} warning(s) about the input, listed on standard error; "
        "qcheck validate lists them too",
    ),
    "problem_count": ("{count}个问题", "{count} problem(s)"),
    "first_problem": ("{count}个问题；第一个：{first}", "{count} problem(s); first: {first}"),
    "valid": ("可以评估", "valid"),
    "invalid": ("不可评估", "not valid"),
    # Messages on standard error.
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "errors": (
        "qcheck：输入中有{count}处错误，未进行评估。请修正后重试。",
        "qcheck: {count} error(s) in the input; nothing was evaluated. Fix them and run again.",
    ),
    "strict": (
        "qcheck：使用 --strict 时警告视为错误，未进行评估。",
        "qcheck: warnings count as errors with --strict; nothing was evaluated.",
    ),
    "unused": (
        "警告：{year}年有{count}行已读取但未被任何指标使用：",
        "warning: {count} row(s) for {year} were read but used by no target:",
    ),
    "unused_row": (
        "  {source}{row}：{indicator}，{region}（{why}）",
        "  {source}{row}: {indicator}, {region} ({why})",
    ),
    # Why no rule read a row of the evaluated year, and what to do about it, case by case.
    "unused_why_county": (
        "按全市数据考核的指标填写了县区数据",
        "a county's figure for a target judged on the city-wide figure",
    ),
    "unused_why_city": (
        "按县区数据考核的指标填写了全市数据",
        "a city-wide figure for a target judged on counties' figures",
    ),
    "unused_why_region": ("该指标不考核这个县区", "a county the target does not read"),
    "unused_why_not_due": (
        "该指标{year}年尚未到期，不读取这一数据",
        "the target is not yet due in {year}, so it reads no figure",
    ),
    "unused_fix_not_due": (
        "到期后再填写（qcheck template 列出各指标所需的数据），或删除此行",
        "give it once the target is due (qcheck template lists what each target reads), "
        "or remove the row",
    ),
    "unused_why_year": ("该指标不读取{year}年的数据", "the target reads no figure for {year}"),
    "unused_why_other": ("该指标的规则未用到这一数据", "a figure the target's rule did not need"),
    "unused_fix_county": (
        "请填写该指标所用的全市数据（县区一栏留空或填“{city}”），或删除此行",
        "give the city-wide figure the target reads (leave the region empty), or remove the row",
    ),
    "unused_fix_city": (
        "请填写该指标所用的各县区数据，或删除此行",
        "give the counties' figures the target reads, or remove the row",
    ),
    "unused_fix_region": (
        "请填写该指标所考核县区的数据，或删除此行",
        "give the figures of the counties the target reads, or remove the row",
    ),
    "unused_fix_year": (
        "请检查年份（qcheck template 列出各指标所需的年份），或删除此行",
        "check the year (qcheck template lists the years each target reads), or remove the row",
    ),
    "unused_fix_other": (
        "请填写该指标所用的数据（qcheck template 列出），或删除此行",
        "give the figures the target reads (qcheck template lists them), or remove the row",
    ),
    "row": ("第{row}行", " row {row}"),
    "city": ("全市", "city-wide"),
    "other_years": (
        "提示：其他年份的{count}行在评估{year}年时未被使用；--format json 的 unused_rows 中有示例",
        "note: {count} row(s) for other years were not needed by any rule for {year}; "
        "--format json gives examples under unused_rows",
    ),
    "inputs_failed": (
        "qcheck：{total}个输入中有{failed}个无法评估，其余已评估。",
        "qcheck: {failed} of {total} input(s) could not be evaluated; the others were.",
    ),
    "targets_problems": (
        "qcheck：目标文件有{count}处问题。",
        "qcheck: the targets file has {count} problem(s).",
    ),
    "output_error": ("qcheck：{message}", "qcheck: {message}"),
    "internal_error": (
        "qcheck：内部错误：{error}\n"
        "这是 qcheck 的缺陷；请加 --debug 重新运行以查看回溯信息，并报告此问题。",
        "qcheck: internal error: {error}\n"
        "This is a bug in qcheck; run again with --debug for the traceback and report it.",
    ),
    "stdout_failed": (
        "qcheck：无法写入标准输出：{reason}",
        "qcheck: cannot write to standard output: {reason}",
    ),
    "out_of_memory": (
        "qcheck：输入所需的内存超过可用内存。请把它拆分成较小的文件，或降低 --max-bytes，"
        "让过大的输入在读取前即被拒绝。",
        "qcheck: the input needs more memory than is available. Split it into smaller files, "
        "or lower --max-bytes so that input this large is refused before it is read.",
    ),
    "interrupted": ("qcheck：已中断（Ctrl-C）。", "qcheck: interrupted (Ctrl-C)."),
    "terminated": ("qcheck：已终止（SIGTERM）。", "qcheck: terminated (SIGTERM)."),
    "targets_valid": (
        "{path}：有效的目标文件，共{count}项目标",
        "{path}: a valid targets file with {count} targets",
    ),
    # Usage errors: qcheck's own, and the frame Click puts around every one.
    "unknown_encoding": (
        "未知编码 {name!r}（可试 utf-8、gb18030 或 utf-16）",
        "unknown encoding {name!r} (try utf-8, gb18030 or utf-16)",
    ),
    "unknown_suffix": (
        "无法从后缀判断 {path!r} 的格式；请使用以下后缀之一：{suffixes}",
        "cannot tell the format of {path!r} from its suffix; use one of {suffixes}",
    ),
    "year_before_plan": (
        "方案从{start}年开始；{year}年在此之前",
        "the plan runs from {start}; {year} is before it",
    ),
    "year_after_plan": (
        "方案的目标年份是{end}年；{year}年在此之后，没有可据以评估的目标",
        "the plan's targets are for {end}; {year} is after it, and no target is set for it",
    ),
    "unknown_area": ("未知领域 {area!r}；领域有：{areas}", "unknown area {area!r}; areas: {areas}"),
    "xlsx_on_terminal": (
        "xlsx 模板是二进制文件：请用 --output 指定一个文件",
        "an xlsx template is binary: name a file with --output",
    ),
    "usage": ("用法：{command} {pieces}", "Usage: {command} {pieces}"),
    "try_help": ("运行“{command} {option}”查看帮助。", "Try '{command} {option}' for help."),
    "usage_error": ("错误：{message}", "Error: {message}"),
    "validation_summary": (
        "{files}个文件，{rows}行：错误{errors}项，警告{warnings}项 —— {verdict}",
        "{files} file(s), {rows} row(s): {errors} error(s), {warnings} warning(s) — {verdict}",
    ),
    # render (issue 12)
    "left_out_plan_words": (
        "终端宽度不足，未列出方案原文：更宽的终端或 --format csv 可显示",
        "The plan's words are left out at this width: a wider terminal or --format csv shows them",
    ),
    "left_out_plan_words_lead_units": (
        "终端宽度不足，未列出方案原文和牵头单位：更宽的终端或 --format csv 可显示",
        "The plan's words and the lead units are left out at this width: a wider terminal or "
        "--format csv shows them",
    ),
}

REASONS: dict[str, tuple[str, str]] = {
    "no-value": ("缺少{year}年数据", "no value for {year}"),
    "no-city-value": (
        "缺少{year}年全市数据（仅有县区数据：{regions}）",
        "no city-wide value for {year} (only {regions})",
    ),
    "no-baseline": ("缺少基准年{year}年数据", "no value for the baseline year {year}"),
    "regions-missing": ("{year}年缺少：{regions}", "{year}: no value from {regions}"),
    "years-missing": ("缺少{years}年数据", "no value for {years}"),
    "failed-years": ("未达标年份：{years}", "not met in {years}"),
    "mean-of-regions": (
        "{year}年{count}个县区平均值",
        "{year}: mean of {count} counties/districts",
    ),
    "year-not-after-baseline": (
        "基准年为{year}年，自次年起考核，尚未到期",
        "{year} is the baseline year, judged against from the next year: not yet due",
    ),
    "reported-mean-differs": (
        "上报的全市平均值{reported}与县区计算平均值{computed}不一致",
        "the reported city-wide mean {reported} differs from the computed mean {computed}",
    ),
    "city-value-as-mean": (
        "无县区数据，采用上报的全市平均值",
        "no county rows: the city-wide figure is taken as the reported mean",
    ),
    "reported-mean-used": (
        "{year}年缺少：{regions}，采用上报的全市平均值",
        "{year}: no value from {regions}, so the reported city-wide mean is used",
    ),
    "city-value-not-mean": (
        "{year}年全市数据不是所列{count}个县区的平均值，未采用",
        "{year}: the city-wide figure is not the mean of the {count} regions averaged, so it is "
        "not used",
    ),
    "weighted-mean-of-regions": (
        "{year}年{count}个县区加权平均值",
        "{year}: weighted mean of {count} counties/districts",
    ),
    "before-period": ("该指标自{year}年起考核，尚未到期", "judged from {year}: not yet due"),
    "zero-baseline": (
        "基准年{year}年数值为0，无法按比例计算，按变化方向判断",
        "the baseline of {year} is 0: no share of it can be worked out, so the direction decides",
    ),
    "decrease-not-made": ("未比{year}年下降", "no fall from {year}"),
    "increase-not-made": ("未比{year}年增长", "no rise from {year}"),
    "decrease-too-small": ("有所下降，但未达到{by}的降幅", "fell, but by less than {by}"),
    "increase-too-small": ("有所增长，但未达到{by}的增幅", "rose, but by less than {by}"),
    "before-first-milestone": (
        "首个目标节点为{year}年，尚未到期",
        "the first milestone is {year}: not yet due",
    ),
    "sum-of-years": ("{years}年合计", "sum of {years}"),
    "sum-so-far": ("截至目前累计{sum}（{years}年）", "{sum} so far ({years})"),
    "total-due": ("累计数于{year}年末考核，尚未到期", "the total is judged at the end of {year}"),
    # Reports are yearly: a commitment done in its due date's year is on time, whatever the day.
    "done-on-time": ("已于{year}年完成（期限{due}）", "done in {year} (due {due})"),
    "due-later": ("期限为{due}，尚未到期", "due by {due}: not yet due"),
    "done-late": (
        "{year}年才完成，已超过期限{due}",
        "done late: in {year}, after the due date {due}",
    ),
    "not-done": ("{year}年报告未完成，期限为{due}", "reported not done in {year}; due by {due}"),
    "regions-passed": (
        "{year}年{count}个县区中{passed}个达标",
        "{year}: {passed} of {count} regions met",
    ),
    "regions-failed": ("未达标：{regions}", "not met in {regions}"),
}


# Click's messages in Chinese, by the English Click builds them from (its gettext message ids,
# and the way it joins them). A message matching none is shown as Click wrote it.
CLICK_MESSAGES: dict[str, str] = {
    "{message} Did you mean {possibility}?": "{message}是否应为 {possibility}？",
    "{message} (Did you mean one of: {possibilities}?)": (
        "{message}是否应为以下之一：{possibilities}？"
    ),
    "No such option {name!r}.": "没有选项 {name}。",
    "No such option: {name}": "没有选项 {name}。",
    "No such command {name!r}.": "没有命令 {name}。",
    "Missing command.": "缺少命令。",
    "Missing argument {param_hint}.": "缺少参数 {param_hint}。",
    "Missing option {param_hint}.": "缺少选项 {param_hint}。",
    "Missing parameter {param_hint}.": "缺少参数 {param_hint}。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value!r} is not one of {choices}.": "{value} 不是可选值；可选：{choices}。",
    "{value!r} is not {choice}.": "{value} 不是可选值；只能是 {choice}。",
    "{value!r} is not a valid {number_type}.": "{value} 不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 超出范围 {range}。",
    "Option {name!r} requires an argument.": "选项 {name} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name} 不接受值。",
    "Got unexpected extra argument ({args})": "多余的参数：{args}",
    "Got unexpected extra arguments ({args})": "多余的参数：{args}",
    "{name} {filename!r} does not exist.": "{filename} 不存在。",
    "{name} {filename!r} is a directory.": "{filename} 是文件夹，不是文件。",
    "{name} {filename!r} is not readable.": "{filename} 不可读。",
    "{name} {filename!r} is not writable.": "{filename} 不可写。",
}


# Pydantic's messages about a targets file in Chinese, by error type, with the same fields
# (its ``ctx``). A type missing here is shown as Pydantic wrote it.
PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": "缺少此项",
    "extra_forbidden": "不允许有此项（拼写有误？）",
    "invalid_key": "键应为文本",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
    "dict_type": "应为映射（键: 值）",
    "tuple_type": "应为列表",
    "list_type": "应为列表",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数，无法把文本读作整数",
    "int_from_float": "应为整数，不能有小数部分",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "decimal_type": "应为数字（整数、小数，或写成文本的数字）",
    "decimal_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "literal_error": "应为以下之一：{expected}",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应大于或等于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应小于或等于 {le}",
    "string_pattern_mismatch": "应符合格式 '{pattern}'",
    "string_too_short": "至少应有 {min_length} 个字符",
    "string_too_long": "至多应有 {max_length} 个字符",
    "too_short": "至少应有 {min_length} 项，实有 {actual_length} 项",
    "too_long": "至多应有 {max_length} 项，实有 {actual_length} 项",
    "union_tag_invalid": "{discriminator} 的值 '{tag}' 不是可选值；可选：{expected_tags}",
    "union_tag_not_found": "缺少 {discriminator}，无法判断规则类型",
}

# The catalogue's own checks (a Pydantic ``value_error``) in Chinese, matched like Click's.
CATALOGUE_MESSAGES: dict[str, str] = {
    "start_year must not be after target_year": "start_year 不得晚于 target_year",
    "a qualitative target has no unit": "定性目标（qualitative）不应有单位",
    "a {kind} target needs a unit": "{kind} 类目标需要单位（unit）",
    "target id {id!r} is used twice": "目标编号 {id} 用了两次",
    "area id {id!r} is defined twice": "领域编号 {id} 定义了两次",
    "target {id!r}: total {total} is outside what {count} credible yearly figures "
    "({range} each) can add up to": (
        "目标 {id}：total {total} 超出{count}个可信年度数值（每个{range}）之和可能的范围"
    ),
    "target {id!r}: threshold {threshold} is no whole number, and {unit!r} is counted in "
    "whole numbers: no report could equal it": (
        "目标 {id}：阈值 {threshold} 不是整数，而 {unit} 以整数计，任何报表都无法等于它"
    ),
    "target {id!r}: no whole number lies between {low} and {high}, and {unit!r} is counted "
    "in whole numbers": "目标 {id}：{low} 与 {high} 之间没有整数，而 {unit} 以整数计",
    "unit id {id!r} is defined twice": "单位编号 {id} 定义了两次",
    "region id {id!r} is defined twice": "地区编号 {id} 定义了两次",
    "target {id!r}: unknown area {area!r}": "目标 {id}：未知领域 {area}",
    "target {id!r}: unknown unit {unit!r}": "目标 {id}：未知单位 {unit}",
    "target {id!r} reads regions, but none are defined": (
        "目标 {id} 读取各县区的数据，但未定义任何县区（regions）"
    ),
    "target {id!r}: baseline_year must precede the rule's last year {last} (last_year, or the "
    "plan's target_year); it is {baseline}": (
        "目标 {id}：baseline_year 必须早于规则的最后一年 {last}"
        "（last_year，或方案的 target_year）；现为 {baseline}"
    ),
    "target {id!r}: by {by} is more than the {span} its unit {unit!r} spans, so no figure could "
    "change that much": (
        "目标 {id}：by 为 {by}，超过其单位 {unit} 的取值跨度 {span}，任何数值都不可能变化这么多"
    ),
    "the name {name!r} is used twice": "名称 {name} 用了两次",
    "target {id!r}: unknown region {region!r}": "目标 {id}：未知县区 {region}",
    "target {id!r}: regions: unknown region {region!r}": "目标 {id}：regions 中有未知县区 {region}",
    "target {id!r}: regions: {region!r} is named twice": (
        "目标 {id}：regions 中 {region} 出现了两次"
    ),
    "target {id!r}: the test of a regional rule takes no {name!r}; set it on the rule": (
        "目标 {id}：县区规则的 test 不接受 {name}，请在规则本身上设置"
    ),
    "target {id!r}: met / not met answers have no mean": (
        "目标 {id}：达到 / 未达到 的回答无法求平均值，test 不能接受这类回答"
    ),
    "target {id!r}: weights: {region!r} is not one of the regions averaged": (
        "目标 {id}：weights 中的 {region} 不在求平均的县区（regions）之中"
    ),
    "target {id!r}: weights: no weight for {region!r}": "目标 {id}：weights 中缺少 {region} 的权重",
    "target {id!r}: weights must be above zero": "目标 {id}：weights 中的权重必须大于 0",
    "target {id!r}: k {k} is more than the {count} regions counted, so no report could meet "
    "it": "目标 {id}：k 为 {k}，多于所计的 {count} 个县区，任何报表都无法达到",
    "unit {id!r}: minimum is above maximum": "单位 {id}：minimum 大于 maximum",
    "target {id!r}: {field} is {number}, outside the range of its unit {unit!r}, where no "
    "reported figure can be": (
        "目标 {id}：{field} 为 {number}，超出其单位 {unit} 的取值范围，报表中的数值不会落在那里"
    ),
    "target {id!r}: low {low} must not be above high {high}": (
        "目标 {id}：low（{low}）不得大于 high（{high}）"
    ),
    "target {id!r}: low and high are both {low}, so only inclusive: both leaves a figure "
    "inside": "目标 {id}：low 与 high 都是 {low}，只有 inclusive: both 时才有数值落在区间内",
    "target {id!r}: thresholds: the year {year} is outside the rule's period {period}": (
        "目标 {id}：thresholds 中的 {year} 年不在该规则的考核期 {period} 之内"
    ),
    "target {id!r}: {field} {year} is outside the plan's years {years}": (
        "目标 {id}：{field} {year} 不在方案的年份 {years} 之内"
    ),
    "target {id!r}: total {total} is outside what {count} yearly figures of its unit {unit!r} "
    "can add up to": "目标 {id}：total {total} 超出其单位 {unit} 的{count}个年度数值之和可能的范围",
    "due {raw!r} is no day of the calendar": "due {raw} 不是日历上存在的日期",
    "due {raw!r} is not a date written YYYY-MM-DD, such as 2019-12-31": (
        "due {raw} 不是 YYYY-MM-DD 格式的日期（例如 2019-12-31）"
    ),
    "target {id!r}: due {due} is outside the rule's period {period} (first_year, last_year)": (
        "目标 {id}：due {due} 不在规则的期间 {period}（first_year、last_year）之内"
    ),
    "a qualitative target has no plausible range": "定性目标（qualitative）不设 plausible 范围",
    "plausible: give a minimum, a maximum or both": "plausible：请给出 minimum、maximum 或两者",
    "plausible: minimum is above maximum": "plausible：minimum 大于 maximum",
    "target {id!r}: plausible: {bound} is outside the range of its unit {unit!r}": (
        "目标 {id}：plausible 的 {bound} 超出其单位 {unit} 的取值范围"
    ),
    "target {id!r}: plausible: the rule's line {edge} lies outside the plausible range "
    "{range}: widen the range or correct the line": (
        "目标 {id}：规则的界限 {edge} 不在 plausible 范围 {range} 内：请放宽范围或更正界限"
    ),
    "unit {id!r}: converts to unknown unit {unit!r}": "单位 {id}：converts 指向未知单位 {unit}",
    "target {id!r}: first_year {first} is after last_year {last}": (
        "目标 {id}：first_year {first} 晚于 last_year {last}"
    ),
    "target {id!r}: a decrease by {by}% must be less than 100%, or no report could meet it": (
        "目标 {id}：降幅 {by}% 必须小于 100%，否则任何报表都无法达到"
    ),
}


def label(lang: Lang, key: str, **params: object) -> str:
    """Return the label ``key`` in ``lang`` with its parameters filled in."""
    return LABELS[key][LANGS.index(lang)].format(**params)


def click_in_chinese(text: str, own: Mapping[str, str] | None = None) -> str:
    """Return a message of Click's in Chinese; ``own`` maps qcheck's own messages inside it."""
    if own and text in own:
        return own[text]
    for pattern, chinese in _patterns("click"):
        match = pattern.fullmatch(text)
        if match:
            parts = match.groupdict()
            if "message" in parts:
                parts["message"] = click_in_chinese(parts["message"], own)
            return chinese.format(**parts)
    return text


def pydantic_in_chinese(error: Mapping[str, Any]) -> str:
    """Return one of Pydantic's errors (an item of ``errors()``) in Chinese, by its type."""
    context = dict(error.get("ctx") or {})
    if error["type"] == "value_error":
        text = str(context.get("error", error["msg"]))
        for pattern, chinese in _patterns("catalogue"):
            if match := pattern.fullmatch(text):
                return chinese.format(**match.groupdict())
        return text
    template = PYDANTIC_MESSAGES.get(error["type"])
    if "expected" in context:  # 'a', 'b' or 'c'
        context["expected"] = str(context["expected"]).replace(" or ", " 或 ")
    try:
        return str(error["msg"]) if template is None else template.format(**context)
    except (KeyError, IndexError):  # a field this version of Pydantic does not give
        return str(error["msg"])


_TABLES = {"click": CLICK_MESSAGES, "catalogue": CATALOGUE_MESSAGES}


@cache
def _patterns(table: str) -> list[tuple[re.Pattern[str], str]]:
    """Return a pattern for each English message of a table: its fields, and the rest as is."""
    patterns = []
    for english, chinese in _TABLES[table].items():
        pieces = re.split(r"\{(\w+)(?:!r)?\}", english)  # text, field, text, field, ..., text
        regex = "".join(
            f"(?P<{piece}>.+?)" if index % 2 else re.escape(piece)
            for index, piece in enumerate(pieces)
        )
        # Those wrapping another message first, then the most specific: "Invalid value for
        # {param_hint}: {message}" before "{value} is not in the range {range}.", which comes
        # before "{value!r} is not {choice}."
        order = ("message" not in pieces[1::2], -len("".join(pieces[::2])))
        patterns.append((order, re.compile(regex, re.S), chinese))
    return [(pattern, chinese) for _, pattern, chinese in sorted(patterns, key=lambda p: p[0])]
