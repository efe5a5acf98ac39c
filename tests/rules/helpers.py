"""Small catalogues for testing one rule kind, and judging rows against them."""

from __future__ import annotations

from functools import partial
from typing import Any

import yaml

from qcheck.catalogue import Catalogue
from qcheck.evaluation import Report, Result, evaluate
from qcheck.rows import validate_records
from tests.conftest import Row, make_records

REGIONS = ("ganzhou", "linze", "gaotai", "shandan", "minle", "sunan")


def document(
    rule: dict[str, Any],
    *,
    unit: str | None = "%",
    start_year: int = 2021,
    target_year: int = 2025,
    **target: Any,
) -> dict[str, Any]:
    """Return a targets document of one target ``t`` with ``rule``, six regions and some units."""
    entry: dict[str, Any] = {
        "id": "t",
        "name_zh": "测试指标",
        "name_en": "Test indicator",
        "area": "a",
        "rule": rule,
        "source": {"clause": "一", "text": "测试"},
        **target,
    }
    if unit is not None:
        entry["unit"] = unit
    return {
        "plan": {
            "title": "测试方案",
            "city_zh": "张掖市",
            "city_en": "Zhangye",
            "start_year": start_year,
            "target_year": target_year,
        },
        "areas": [{"id": "a", "name_zh": "领域", "name_en": "Area"}],
        "units": [
            {
                "id": "%",
                "name_zh": "%",
                "name_en": "%",
                "minimum": 0,
                "maximum": 100,
                "gap_zh": "个百分点",
                "gap_en": "pp",
            },
            {"id": "户", "name_zh": "户", "name_en": "households", "minimum": 0, "integer": True},
            {"id": "万元", "name_zh": "万元", "name_en": "10k yuan", "minimum": 0},
            {"id": "件", "name_zh": "件", "name_en": "patents", "minimum": 0, "integer": True},
            {"id": "人次", "name_zh": "人次", "name_en": "person-times", "minimum": 0},
        ],
        "city_aliases": ["全市"],
        "regions": [
            {"id": region, "name_zh": name, "name_en": region.title()}
            for region, name in zip(
                REGIONS, ("甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南县"), strict=True
            )
        ],
        "targets": [entry],
    }


def catalogue_of(rule: dict[str, Any], **options: Any) -> Catalogue:
    """Return a catalogue of one target ``t`` with ``rule`` (see ``document``)."""
    return Catalogue.model_validate(document(rule, **options))


def judged_in(year: int) -> Any:
    """Return ``catalogue_of`` for a plan due in ``year``: its figures judged as in a due year.

    Before its due year a target is judged on its pace or is not yet due (tests/rules/
    test_pace.py); these tests judge the kind itself.
    """
    return partial(catalogue_of, target_year=year)


def as_yaml(rule: dict[str, Any], **options: Any) -> str:
    """Return the targets file of one target ``t`` with ``rule``, as YAML text."""
    return yaml.safe_dump(document(rule, **options), allow_unicode=True, sort_keys=False)


def report_of(catalogue: Catalogue, *rows: Row, year: int) -> Report:
    """Validate rows (indicator, value, year[, region[, unit]]) and evaluate ``year``."""
    measurements, problems = validate_records(
        make_records(rows), catalogue=catalogue, default_year=year
    )
    errors = [problem.describe() for problem in problems if problem.severity == "error"]
    assert not errors, errors
    return evaluate(catalogue=catalogue, measurements=measurements, year=year)


def judge(catalogue: Catalogue, *rows: Row, year: int) -> Result:
    """Return the result for target ``t``."""
    (result,) = report_of(catalogue, *rows, year=year).results
    return result
