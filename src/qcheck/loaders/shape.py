"""The shape of a report, declared once for the loaders and the JSON Schema: fields and keys."""

from __future__ import annotations

from dataclasses import dataclass, replace

from qcheck.names import normalize_name
from qcheck.words import LANGS, word


@dataclass(frozen=True)
class Field:
    """A field of a report's rows: the headers (or YAML keys) it goes by, and what it holds."""

    names: tuple[str, ...]  # as declared; the loaders also read other spellings of them
    description: str
    types: tuple[str, ...]  # the JSON types a YAML report may give it
    required: bool = False
    file_wide: bool = False  # a YAML report may give it once, for every row that gives none


_DECLARED: dict[str, Field] = {
    "indicator": Field(
        names=("indicator", "指标", "指标名称", "指标id", "indicator id", "indicator_id"),
        description="Target id, its Chinese name as in the plan, or its English name",
        types=("string",),
        required=True,
    ),
    "value": Field(
        names=("value", "数值", "值", "实际值", "完成值", "实际完成值"),
        description="A number (95.2, '95.2%'), or 达到/未达到 (met/not met) for a met-or-not "
        "target",
        types=("number", "string", "boolean"),
        required=True,
    ),
    "year": Field(
        names=("year", "年份", "年度"),
        description="Year of the figure; default: the evaluated year",
        types=("integer", "string", "null"),
        file_wide=True,
    ),
    "region": Field(
        names=(
            "region",
            "地区",
            "区县",
            "县区",
            "县",  # also 县（区）: the bracket is dropped
            "区域",
            "县市区",
            "行政区",
            "所属县区",
            "地区名称",
            "县区名称",
            "county",
        ),
        description="County or district; empty or a city-wide name for city-wide",
        types=("string", "null"),
        file_wide=True,
    ),
    "unit": Field(
        names=("unit", "单位", "计量单位"),
        description="Unit, checked against the indicator's unit",
        types=("string", "null"),
        file_wide=True,
    ),
    "note": Field(
        names=("note", "notes", "备注", "说明"),
        description="Free text, kept but not evaluated",
        types=("string", "number", "boolean", "null"),
        file_wide=True,
    ),
}


def _with_template_words(field: str, spec: Field) -> Field:
    """Return ``spec`` naming also the header each language's template writes for the field.

    A blank report qcheck writes in any language (qcheck template --lang) is read back.
    """
    written = (word(lang, f"template.{field}") for lang in LANGS)
    return replace(spec, names=tuple(dict.fromkeys((*spec.names, *written))))


def one_field_a_name(fields: dict[str, Field]) -> dict[str, Field]:
    """Return ``fields``; raise ValueError if a header name is given to two of them.

    A language table whose template header for one field were another field's name would
    have a value column read as a note: refused loudly, never read either way.
    """
    owner: dict[str, str] = {}
    for field, spec in fields.items():
        for name in spec.names:
            key = normalize_name(name)
            if owner.setdefault(key, field) != field:
                raise ValueError(f"the header {name!r} names both {owner[key]} and {field}")
    return fields


FIELDS = one_field_a_name(
    {field: _with_template_words(field, spec) for field, spec in _DECLARED.items()}
)
HEADER_NAMES = {field: spec.names for field, spec in FIELDS.items()}
REQUIRED = tuple(field for field, spec in FIELDS.items() if spec.required)
FILE_WIDE = tuple(field for field, spec in FIELDS.items() if spec.file_wide)

# A YAML report is a list of rows, or a mapping with one of these keys holding that list.
LIST_KEYS = ("measurements", "数据", "指标数据")
# Keys of the mapping that describe the report and are kept out of the data, whatever they hold.
INFO_KEYS = ("title", "department", "source", "标题", "单位名称", "填报单位", "填报人", "联系人")
