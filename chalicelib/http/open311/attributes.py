"""The extra fields of a complaint offered as the attributes of every service definition.

`path` is where the value goes in ComplaintInput (and where its errors come from).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attribute:
    """An extra field of ComplaintInput offered as a service definition attribute."""

    code: str
    datatype: str
    description: tuple[str, str]
    path: tuple[str, ...]
    choices: str | None = None
    datatype_description: tuple[str, str] | None = None


ATTRIBUTES = (
    Attribute(
        "kind",
        "singlevaluelist",
        ("类型（默认：投诉）", "What this is (default: complaint)"),
        ("kind",),
        "kind",
    ),
    Attribute(
        "subject",
        "string",
        (
            "标题；不填则由服务名称和描述生成",
            "A short title; made from the service name and the description when left out",
        ),
        ("subject",),
        datatype_description=("最多 200 字", "up to 200 characters"),
    ),
    Attribute(
        "desired_outcome",
        "text",
        ("您希望的处理结果", "What you would like us to do"),
        ("desired_outcome",),
        datatype_description=("最多 2000 字", "up to 2,000 characters"),
    ),
    Attribute(
        "severity", "singlevaluelist", ("严重程度", "How serious it is"), ("severity",), "severity"
    ),
    Attribute("priority", "singlevaluelist", ("优先级", "Priority"), ("priority",), "priority"),
    Attribute(
        "problem_type",
        "singlevaluelist",
        ("问题类型", "Type of problem"),
        ("problem_type",),
        "problem_type",
    ),
    Attribute(
        "department",
        "singlevaluelist",
        ("受理部门", "The department the complaint is for"),
        ("department",),
        "department",
    ),
    Attribute(
        "respondent_department",
        "string",
        ("被投诉部门", "The department complained about"),
        ("respondent", "department"),
    ),
    Attribute(
        "respondent_person",
        "string",
        ("被投诉人员", "The person complained about"),
        ("respondent", "person"),
    ),
    Attribute("product_name", "string", ("产品名称", "Product name"), ("product", "name")),
    Attribute("product_model", "string", ("产品型号", "Product model"), ("product", "model")),
    Attribute(
        "product_serial_number",
        "string",
        ("产品序列号（S/N）", "Product serial number"),
        ("product", "serial_number"),
    ),
    Attribute(
        "required_completion_date",
        "datetime",
        ("要求完成日期", "The date by which you need it settled"),
        ("required_completion_date",),
        datatype_description=("日期，如 2026-03-01", "a date, e.g. 2026-03-01"),
    ),
    Attribute(
        "people_affected",
        "number",
        ("受影响人数（集体投诉）", "How many people are affected (collective complaints)"),
        ("people_affected",),
        datatype_description=("1 到 100000 的整数", "a whole number from 1 to 100,000"),
    ),
    Attribute(
        "confidential",
        "singlevaluelist",
        ("对被投诉方保密我的身份", "Keep my identity from those complained about"),
        ("complainant", "confidential"),
        "yes_no",
    ),
)
ATTRIBUTE_BY_CODE = {attribute.code: attribute for attribute in ATTRIBUTES}
ATTRIBUTE_BY_PATH = {attribute.path: attribute for attribute in ATTRIBUTES}
