"""Numbers as typed: which characters make a figure, and how figures are shown.

Issue 9: a figure is never read from a character that is not a digit, and the same text gives
the same number in every input format.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from qcheck.catalogue import Catalogue
from qcheck.loaders.columns import year_of_value_header
from qcheck.loaders.files import check_files
from qcheck.loaders.xlsx import excel_number
from qcheck.loaders.yaml_file import read_yaml
from qcheck.measurements import RawRecord, parse_number, parse_year
from qcheck.problems import InputError
from qcheck.renderers.base import machine_number, plain_number
from qcheck.rows import validate_records
from qcheck.words import label
from tests.helpers import csv_records
from tests.loaders.test_inputs import _in_tmp, evaluated, run, validation, write  # noqa: F401 - _in_tmp: autouse

ASCII_FORMS = "0123456789.%-,+"
FULL_WIDTH_FORMS = "０１２３４５６７８９．％－，＋"
FOOD = "food_safety_pass_rate"  # %, at least 94
SME = "sme_quality_training"  # 户, a whole count
PM10 = "PM10"  # an alias of pm10_concentration, ug/m3
PM10_ID = "pm10_concentration"
LEADING = "leading_products_level"  # met / not met


def rejection(raw: object) -> str:
    """Return the code parse_number refuses ``raw`` with (fails if it is accepted)."""
    with pytest.raises(PydanticCustomError) as raised:
        parse_number(raw)
    return raised.value.type


# ---- folding: only the full-width forms ---------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "10①",  # a footnote mark, which NFKC reads as 1
        "9²",
        "9₂",
        "١٢",  # Arabic-Indic digits
        "१२",  # Devanagari digits
        "½",
        "9½",
        "Ⅻ",
        "⑫",
        "９５．２％①",
        "95.2﹪",  # the small percent sign
        "9⁵.2",
    ],
)
def test_characters_that_are_not_digits_make_no_number(raw: str) -> None:
    assert rejection(raw) == "not-a-number"


@pytest.mark.parametrize(
    ("raw", "ascii"),
    [
        ("９５．２％", "95.2%"),
        ("－０．５", "-0.5"),
        ("＋５", "+5"),
        ("１，２３４，５６７．５", "1,234,567.5"),
        ("\u3000９５\u3000", "95"),
        ("９５．２\u3000％", "95.2 %"),
    ],
)
def test_full_width_forms_read_as_their_ascii(raw: str, ascii: str) -> None:
    assert parse_number(raw) == parse_number(ascii)


@pytest.mark.parametrize("raw", ["２０２０年", "２０２０", "\u3000２０２０年度\u3000"])
def test_full_width_years(raw: str) -> None:
    assert parse_year(raw) == 2020


@pytest.mark.parametrize("raw", ["２⁰２⁰", "2⁰2⁰年", "٢٠٢٠", "20٢٠", "２０２０①", "二〇二〇"])
def test_years_not_written_in_digits(raw: str) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_year(raw)
    assert raised.value.type == "bad-year"


@pytest.mark.parametrize(
    ("header", "year"),
    [
        ("2020年完成值", 2020),
        ("２０２０年完成值", 2020),
        ("２⁰２⁰年完成值", None),
        ("20٢٠年完成值", None),
    ],
)
def test_year_in_a_value_header_is_typed_in_digits(header: str, year: int | None) -> None:
    assert year_of_value_header(header) == year


NUMBERS = st.decimals(
    min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False
).map(lambda number: format(number, "f"))
WRITTEN = st.tuples(NUMBERS, st.sampled_from(["", "%", " %"])).map("".join)
NOT_FOLDED = st.characters(
    exclude_categories=["Cs"],
    exclude_characters=ASCII_FORMS + FULL_WIDTH_FORMS,
).filter(lambda char: not char.isspace())


@settings(max_examples=300, deadline=None)
@given(written=WRITTEN, char=NOT_FOLDED, data=st.data())
def test_any_other_character_anywhere_makes_no_number(
    written: str, char: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(min_value=0, max_value=len(written)))
    assert rejection(written[:at] + char + written[at:]) == "not-a-number"


@settings(max_examples=300, deadline=None)
@given(written=WRITTEN)
def test_full_width_forms_give_the_number_of_their_ascii(written: str) -> None:
    full_width = written.translate(str.maketrans(ASCII_FORMS, FULL_WIDTH_FORMS))
    assert parse_number(full_width) == parse_number(written)


def test_a_footnote_mark_in_a_report_is_an_error_not_a_figure() -> None:
    rows = "食品安全抽检合格率,95①\n主要农产品质量安全监测合格率,９８．５\n"
    path = write("report.csv", "指标,数值\n" + rows)
    code, found = validation(path)
    assert code == 2
    assert [(p["code"], p["row"], p["column"]) for p in found["problems"]] == [
        ("not-a-number", 2, "数值")
    ]


# ---- YAML: every scalar is text, read by qcheck's own rules ------------------------------


Outcome = tuple[list[tuple[str, Decimal | bool, int]], list[str]]


def outcome(path: Path, catalogue: Catalogue) -> Outcome:
    """Read one file; return its measurements (indicator, value, year) and problem codes."""
    dataset, checked = check_files([path], catalogue=catalogue, keep_all=True)
    measured = [(m.indicator, m.value, m.year) for m in dataset.everything or ()]
    return measured, [problem.code for problem in checked.problems]


def yaml_report(indicator: str, value: str, year: str = "2020") -> str:
    return f"measurements:\n  - indicator: {indicator}\n    value: {value}\n    year: {year}\n"


@pytest.mark.parametrize(
    ("indicator", "scalar", "expected"),
    [
        (SME, "0150", Decimal(150)),  # not 104, as octal
        (SME, "!!int 0150", Decimal(150)),
        (SME, "1:35", "not-a-number"),  # not 95, in base 60
        (SME, "1_000", "not-a-number"),
        (SME, "0x1F", "not-a-number"),
        (SME, "0b101", "not-a-number"),
        (SME, "+1e3", "not-a-number"),
        (SME, "!!float 1e3", "not-a-number"),
        (PM10, "2020-01-01", "not-a-number"),
        (PM10, ".inf", "not-finite"),
        (PM10, "-.Inf", "not-finite"),
        (PM10, ".nan", "not-finite"),
        (PM10, "95.2%", "unit-mismatch"),
        (FOOD, "95.20", Decimal("95.2")),
        (FOOD, "９５．２", Decimal("95.2")),
        (FOOD, "1,234", "out-of-range"),
        (FOOD, "~", "empty-value"),
        (FOOD, "null", "empty-value"),
        (FOOD, "", "empty-value"),
        (FOOD, "yes", "not-a-number"),
        (LEADING, "yes", True),
        (LEADING, "No", False),
        (LEADING, "TRUE", True),
        (LEADING, "false", False),
        (LEADING, "'是'", True),
        (LEADING, "on", "not-qualitative"),  # YAML 1.1's bool, but no answer in a CSV cell
        (LEADING, "1", "not-qualitative"),
    ],
)
def test_yaml_scalars_are_read_as_text(
    catalogue: Catalogue, indicator: str, scalar: str, expected: object
) -> None:
    path = write("report.yaml", yaml_report(indicator, scalar))
    measured, problems = outcome(Path(path), catalogue)
    if isinstance(expected, str):
        assert (measured, problems) == ([], [expected])
    else:
        assert (measured, problems) == ([(measured[0][0], expected, 2020)], [])


@pytest.mark.parametrize(
    ("flow", "read_as"),
    [
        ("{indicator: PM2.5, year: 2020, value: 78,9}", "78"),
        ("{indicator: sme_quality_training, year: 2020, value: 1,234}", "1"),
        ("{indicator: 食品安全抽检合格率, year: 2020, value: 95,5%}", "95"),
    ],
)
def test_a_comma_that_ends_a_yaml_flow_value_is_an_error(flow: str, read_as: str) -> None:
    # YAML ends a flow mapping's value at the comma: 78,9 would be 78 and a key '9'.
    code, found = validation(write("report.yaml", f"measurements:\n  - {flow}\n"))
    (problem,) = found["problems"]
    assert (code, problem["code"], problem["column"]) == (2, "not-a-number", "value")
    assert f"was read as {read_as} and a key" in problem["message"]


@pytest.mark.parametrize(
    ("year", "expected"),
    [("2019", 2019), ("2019年", 2019), ("２０１９", 2019), ("0x7E3", None), ("2019-12-31", None)],
)
def test_yaml_years_are_read_as_text(catalogue: Catalogue, year: str, expected: int) -> None:
    text = f"year: {year}\nmeasurements:\n  - {{indicator: PM10, value: 78}}\n"
    path = write("report.yaml", text)
    measured, problems = outcome(Path(path), catalogue)
    if expected is None:
        assert (measured, problems) == ([], ["bad-year"])
    else:
        assert (measured, problems) == ([(PM10_ID, Decimal(78), expected)], [])


def test_yaml_problems_keep_their_line(catalogue: Catalogue) -> None:
    text = "measurements:\n  - {indicator: PM10, value: 78}\n  - {indicator: PM10, value: 1:35}\n"
    code, found = validation(write("report.yaml", text))
    assert code == 2
    assert [(p["code"], p["row"], p["column"]) for p in found["problems"]] == [
        ("not-a-number", 3, "value")
    ]


# Texts made of what figures are typed with, and of what YAML 1.1 would read its own way.
CELL_TEXTS = st.one_of(
    st.text(alphabet="0123456789.,%+-_:eExXbBo年 ", max_size=10),
    st.sampled_from(["1:35", "0150", "1_000", "0x1F", "0b101", ".inf", ".NaN", "+1e3", "yes"]),
    st.sampled_from(["No", "true", "off", "2020-01-01", "2020年", "95.2%", "1,234", "０１５０"]),
)


@settings(max_examples=150, deadline=None)
@given(
    indicator=st.sampled_from([FOOD, SME, LEADING]),
    value=CELL_TEXTS,
    year=st.one_of(CELL_TEXTS, st.sampled_from(["2019", "2020", "2020.0"])),
)
def test_a_yaml_scalar_reads_as_the_same_csv_cell(
    catalogue: Catalogue, indicator: str, value: str, year: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        yaml_path = Path(folder, "report.yaml")
        yaml_path.write_text(yaml_report(indicator, value, year), encoding="utf-8")
        # Only texts that YAML takes plainly, as themselves, can be compared.
        try:
            records, structure = read_yaml(yaml_path.read_text(encoding="utf-8"), source="y")
        except InputError:
            assume(False)
        assume(not structure and len(records) == 1)
        assume(records[0].cells.get("value") == value.strip() != "")
        assume(records[0].cells.get("year") == year.strip() != "")
        csv_path = Path(folder, "report.csv")
        with csv_path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows([["indicator", "value", "year"], [indicator, value, year]])
        assert outcome(yaml_path, catalogue) == outcome(csv_path, catalogue)


# ---- the decimal comma: 32,400 in a semicolon-separated file -----------------------------


@pytest.mark.parametrize(
    ("raw", "readings"),
    [
        ("32,400", "32.4 or 32400"),
        ("-1,000", "-1 or -1000"),
        ("32,400%", "32.4% or 32400%"),
        ("３２，４００", "32.4 or 32400"),
    ],
)
def test_a_comma_and_three_digits_is_ambiguous_where_the_comma_may_be_decimal(
    raw: str, readings: str
) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_number(raw, decimal_comma=True)
    assert raised.value.type == "not-a-number"
    assert f": {readings}? Write {readings}" in raised.value.message()
    assert parse_number(raw)[0] == Decimal(readings.split(" or ")[1].removesuffix("%"))


@pytest.mark.parametrize(
    ("raw", "number"),
    [("1,234,567", "1234567"), ("1,234.5", "1234.5"), ("32.4", "32.4"), ("32400", "32400")],
)
def test_grouping_that_cannot_be_a_decimal_comma_is_read_everywhere(raw: str, number: str) -> None:
    assert parse_number(raw, decimal_comma=True) == parse_number(raw) == (Decimal(number), False)


@pytest.mark.parametrize(
    ("raw", "readings"), [("1.000", "1 or 1000"), ("95.200%", "95.2% or 95200%")]
)
def test_a_point_and_three_digits_is_ambiguous_where_the_point_may_group(
    raw: str, readings: str
) -> None:
    # In European usage (1.234,5) the point groups thousands: 1.000 may be 1000.
    with pytest.raises(PydanticCustomError) as raised:
        parse_number(raw, decimal_comma=True)
    assert f": {readings}? Write {readings}" in raised.value.message()
    assert parse_number(raw)[0] == Decimal(readings.split(" or ")[0].removesuffix("%"))


def test_ambiguous_comma_in_a_semicolon_file_is_an_error_with_both_readings() -> None:
    rows = "可吸入颗粒物平均浓度;32,400;2017\n可吸入颗粒物平均浓度;1,234.5;2020\n"
    code, found = validation(write("report.csv", "指标;数值;年份\n" + rows))
    assert code == 2
    (problem,) = found["problems"]
    assert (problem["code"], problem["row"], problem["column"]) == ("not-a-number", 2, "数值")
    assert "32.4 or 32400" in problem["message"]
    assert "是32.4还是32400？请写成32.4或32400" in problem["message_zh"]


@pytest.mark.parametrize(
    "text",
    [
        '指标,数值,年份\n可吸入颗粒物平均浓度,"32,400",2017\n',
        "指标\t数值\t年份\n可吸入颗粒物平均浓度\t32,400\t2017\n",
    ],
)
def test_the_same_cell_groups_thousands_in_comma_and_tab_files(
    text: str, catalogue: Catalogue
) -> None:
    measured, problems = outcome(Path(write("report.csv", text)), catalogue)
    assert (measured, problems) == ([(PM10_ID, Decimal(32400), 2017)], [])


@pytest.mark.parametrize(("quoted", "plain"), [('"32,400"', "32,400"), ("1.000", "1.000")])
def test_a_cell_read_elsewhere_is_still_refused_in_a_semicolon_file(
    quoted: str, plain: str
) -> None:
    """Verdicts on cells are shared by the files of a run, and keyed by the decimal mark too."""
    years = range(2001, 2021)
    write("a.csv", "指标,数值,年份\n" + "".join(f"PM10,{quoted},{y}\n" for y in years))
    write("b.csv", "指标;数值;年份\n" + "".join(f"PM10;{plain};{y}\n" for y in years))
    result = run("evaluate", "a.csv", "b.csv", "--each", "--format", "json")
    assert result.exit_code == 2, result.output
    (failed,) = json.loads(result.stdout)["input_errors"]
    assert failed["source"] == ["b.csv"]
    assert [(p["code"], p["row"]) for p in failed["problems"]] == [
        ("not-a-number", row) for row in range(2, 22)
    ]


def test_the_general_path_does_not_reuse_a_grouped_reading(catalogue: Catalogue) -> None:
    cells = {"indicator": "PM10", "value": "32,400", "year": "2017"}
    records = [
        RawRecord(source="a.csv", row=2, cells=cells),
        RawRecord(source="b.csv", row=2, cells=cells, decimal_comma=True),
    ]
    measurements, problems = validate_records(records, catalogue=catalogue, default_year=2020)
    assert [m.origin.source for m in measurements] == ["a.csv"]
    assert [(p.source, p.code) for p in problems] == [("b.csv", "not-a-number")]


# ---- figures: 15 significant digits, shown on the side of the threshold the verdict says ----

FORMATS = ("table", "markdown", "csv", "json", "junit", "github", "sarif")
EXPONENT = re.compile(r"\d[eE][+-]?\d")


def targets_with_food_rule(kind: str) -> str:
    """Write the built-in targets with the food safety rule made ``kind`` 94; return the path."""
    text = files("qcheck").joinpath("targets.yaml").read_text(encoding="utf-8")
    rule = "rule: {kind: at_least, threshold: 94}"
    assert rule in text
    return write("targets.yaml", text.replace(rule, f"rule: {{kind: {kind}, threshold: 94}}"))


@pytest.mark.parametrize(
    ("kind", "written", "status", "value", "gap"),
    [
        # Every pass here is on (or a hair from) the line: inside the catalogue's 1 pp band.
        ("at_least", "94", "pass_at_risk", "94", "0"),
        ("at_least", "93.9999999999999", "fail", "93.9999999999999", "-0.0000000000001"),
        ("at_least", "94.0000000000001", "pass_at_risk", "94.0000000000001", "0.0000000000001"),
        ("at_least", "93.99999999999999999", "pass_at_risk", "94", "0"),  # 15 digits: 94
        # The double nearest 93.99999999999995 lies just below it: Excel shows 93.9999999999999.
        ("at_least", "93.99999999999995", "fail", "93.9999999999999", "-0.0000000000001"),
        ("at_least", "93.99999999999996", "pass_at_risk", "94", "0"),
        ("at_least", "93.99999999999994", "fail", "93.9999999999999", "-0.0000000000001"),
        ("at_most", "94", "pass_at_risk", "94", "0"),
        ("at_most", "93.9999999999999", "pass_at_risk", "93.9999999999999", "-0.0000000000001"),
        ("at_most", "94.0000000000001", "fail", "94.0000000000001", "0.0000000000001"),
        ("at_most", "94.00000000000000001", "pass_at_risk", "94", "0"),
    ],
)
def test_shown_figures_agree_with_the_verdict_in_every_format(
    kind: str, written: str, status: str, value: str, gap: str
) -> None:
    targets = targets_with_food_rule(kind)
    report = write("report.csv", f"指标,数值\n食品安全抽检合格率,{written}\n")
    outputs = {}
    for output in FORMATS:
        result = run("evaluate", report, "--targets", targets, "--lang", "en", "--format", output)
        assert result.exit_code in (0, 1), result.output
        outputs[output] = result.stdout
    (found,) = [
        item for item in json.loads(outputs["json"])["reports"][0]["results"] if item["id"] == FOOD
    ]
    assert (found["status"], found["value"], found["gap"]) == (status, float(value), float(gap))
    assert f'"value": {value},' in outputs["json"]
    assert f'"gap": {gap},' in outputs["json"]
    (row,) = [row for row in csv_records(outputs["csv"]) if row["id"] == FOOD]
    line = f"{'≥' if kind == 'at_least' else '≤'}94%"
    cells = (row["status"], row["value"], row["unit"], row["target"], row["gap"])
    assert cells == (label("en", status), value, "%", line, gap)
    signed = gap if gap.startswith("-") or gap == "0" else "+" + gap
    for output in ("table", "markdown"):
        line = next(line for line in outputs[output].splitlines() if "Food safety" in line)
        assert f"{value}%" in line, line
        assert f"{signed} pp" in line, line
    for output in ("junit", "github", "sarif"):
        if status == "fail":
            assert f"actual {value}%" in outputs[output]
            assert f"gap {signed} pp" in outputs[output]
    for output, text in outputs.items():
        assert not EXPONENT.search(text), (output, EXPONENT.search(text))


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (Decimal("1E-16"), "0.0000000000000001"),
        (Decimal("-1E-7"), "-0.0000001"),
        (Decimal("1E+2"), "100"),
        (Decimal("1.23456789012345678E+20"), "123456789012346000000"),
        (Decimal("93.99999999999999999"), "94"),
    ],
)
def test_figures_are_written_without_exponent(number: Decimal, text: str) -> None:
    assert plain_number(number) == text
    figure = machine_number(number)
    # A float is written by json as its repr; a Decimal by the JSON renderer, written out.
    shown = plain_number(figure) if isinstance(figure, Decimal) else repr(figure)
    assert shown == text.removesuffix(".0")


def test_a_small_decrease_shows_its_figures_apart() -> None:
    rows = "可吸入颗粒物平均浓度,0.00002,2017\n可吸入颗粒物平均浓度,0.0000199,2020\n"
    report = write("report.csv", "指标,数值,年份\n" + rows)
    table = run("evaluate", report, "--lang", "en", "--format", "markdown").stdout
    line = next(line for line in table.splitlines() if "inhalable" in line)
    assert "0.0000199 µg/m³" in line, line
    assert "-0.0000001 µg/m³ (-0.5%)" in line, line
    assert "baseline 2017: 0.00002 µg/m³" in table
    document = run("evaluate", report, "--format", "json").stdout
    assert not EXPONENT.search(document)
    (found,) = [r for r in json.loads(document)["reports"][0]["results"] if r["id"] == PM10_ID]
    assert (found["value"], found["baseline"], found["gap"]) == (0.0000199, 0.00002, -0.0000001)


def test_a_mean_of_the_counties_is_held_to_15_digits() -> None:
    counties = ("甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南裕固族自治县")
    figures = ["82"] * 5 + ["81.9999999999999"]  # mean 81.99999999999998333...: 82 at 15 digits
    rows = "".join(
        f"城市空气质量优良天数比例,{c},{v}\n" for c, v in zip(counties, figures, strict=True)
    )
    _, results = evaluated(write("air.csv", "指标,地区,数值\n" + rows))
    # Met on the line: inside the catalogue's 1 pp band.
    assert (results["good_air_days_ratio"]["status"], results["good_air_days_ratio"]["value"]) == (
        "pass_at_risk",
        82,
    )


# ---- a comma after a leading zero groups no thousands ----------------------------------------


@pytest.mark.parametrize(
    ("raw", "advice"),
    [
        ("0,078", "write 0.078"),
        ("00,400", "write 0.4"),
        ("-0,500", "write -0.5"),
        ("0,078%", "write 0.078%"),
        ("０，０７８", "write 0.078"),
        ("0,078,000", None),
        ("000,400.5", None),
    ],
)
@pytest.mark.parametrize("decimal_comma", [False, True])
def test_a_comma_after_a_leading_zero_is_not_a_grouping(
    raw: str, advice: str | None, decimal_comma: bool
) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_number(raw, decimal_comma=decimal_comma)
    assert raised.value.type == "not-a-number"
    message = raised.value.message()
    assert "cannot be grouped after a leading 0" in message
    if advice is None:
        assert "decimal mark" not in message
    else:
        assert message.endswith(f"; if the comma is a decimal mark, {advice}")
        message = (raised.value.context or {})["message"]  # said in any language
        assert f"请写成{advice.removeprefix('write ')}" in message.said("zh")


@pytest.mark.parametrize(
    "text",
    [
        '指标,数值,年份\n可吸入颗粒物平均浓度,"0,078",2017\n',
        '指标,数值,年份\n可吸入颗粒物平均浓度,"00,400",2017\n',
        "指标;数值;年份\n可吸入颗粒物平均浓度;0,078;2017\n",
        "measurements:\n  - {indicator: PM10, year: 2017, value: '0,078'}\n",
        "measurements:\n  - indicator: PM10\n    year: 2017\n    value: 00,400\n",
    ],
    ids=["csv", "csv-two-zeros", "semicolon", "yaml-quoted", "yaml-plain"],
)
def test_a_leading_zero_group_is_refused_in_every_text_format(
    text: str, catalogue: Catalogue
) -> None:
    name = "report.yaml" if text.startswith("measurements") else "report.csv"
    assert outcome(Path(write(name, text)), catalogue) == ([], ["not-a-number"])


def test_a_leading_zero_group_is_refused_in_an_excel_text_cell(catalogue: Catalogue) -> None:
    from tests.loaders.test_inputs import workbook

    path = workbook("r.xlsx", {"数据": [["指标", "数值", "年份"], ["PM10", "0,078", 2017]]})
    assert outcome(Path(path), catalogue) == ([], ["not-a-number"])


def _thousands_grouping(text: str) -> bool:
    """Whether digits with commas are grouped by thousands: 1 to 999, then groups of three."""
    whole = text.lstrip("+-").split(".")[0]
    first, *groups = whole.split(",")
    return (
        bool(groups)
        and 1 <= len(first) <= 3
        and first.isdigit()
        and first[0] != "0"
        and all(len(group) == 3 and group.isdigit() for group in groups)
    )


DIGITS = "0123456789"
# Digits in groups joined by commas, mostly of three (as thousands are), or anything at all.
GROUPED = st.builds(
    ",".join,
    st.lists(st.text(DIGITS, min_size=1, max_size=4), min_size=2, max_size=4),
)
NEAR_GROUPED = st.builds(
    lambda first, rest: ",".join([first, *rest]),
    st.text(DIGITS, min_size=1, max_size=4),
    st.lists(st.text(DIGITS, min_size=3, max_size=3), min_size=1, max_size=3),
)


@settings(max_examples=400, deadline=None)
@given(
    sign=st.sampled_from(["", "-", "+"]),
    body=st.one_of(NEAR_GROUPED, GROUPED, st.text(alphabet=DIGITS + ",", min_size=1, max_size=12)),
    fraction=st.sampled_from(["", ".5", ".25"]),
)
def test_a_comma_is_read_only_as_a_valid_thousands_grouping(
    sign: str, body: str, fraction: str
) -> None:
    text = sign + body + fraction
    assume("," in body)
    try:
        number, _ = parse_number(text)
    except PydanticCustomError:
        assert not _thousands_grouping(text), text
        return
    assert _thousands_grouping(text), text
    assert number == Decimal(text.replace(",", ""))


@given(st.integers(-(10**18), 10**18), st.integers(0, 10))
def test_a_figure_typed_in_a_csv_reads_as_the_same_figure_typed_in_excel(
    digits: int, places: int
) -> None:
    # Excel stores the double nearest to what was typed, written out in full (repr).
    typed = format(Decimal(digits).scaleb(-places), "f")
    stored = repr(float(typed))
    assert parse_number(typed)[0] == Decimal(excel_number(stored, percent=False))


def test_a_fall_just_short_of_the_fall_asked_for_shows_on_its_side() -> None:
    # The catalogue asks for a fall of 10%. 27 is exactly 10% below 30: 27.0000000000001 is
    # not, and must not be shown as 27.
    path = write("dec.csv", "indicator,year,value\nPM10,2017,30\nPM10,2020,27.0000000000001\n")
    result = run("evaluate", path, "--format", "markdown")
    (line,) = [line for line in result.stdout.splitlines() if "(PM10)" in line and "|" in line]
    assert "27.0000000000001 µg/m³" in line
    assert "-2.9999999999999 µg/m³" in line
    assert "not met" in line
