"""Default grade (投诉分级) from kind and people affected; see DOMAIN.md "Grades"."""

GRADES = ("A", "B", "C", "D")
OPINION_KINDS = frozenset({"suggestion", "inquiry"})


def default_grade(kind: str, people_affected: int) -> str:
    if kind in OPINION_KINDS:
        return "D"
    if people_affected >= 10:
        return "A"
    if people_affected >= 3:
        return "B"
    return "C"


def one_grade_up(grade: str) -> str:
    index = GRADES.index(grade) if grade in GRADES else len(GRADES) - 1
    return GRADES[max(index - 1, 0)]
