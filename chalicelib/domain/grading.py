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


REPEAT_WINDOW_DAYS = 30
REPEAT_THRESHOLD = 3  # different complainants on the same issue within the window


def record_repeat(seen: dict[str, str], complainant: str, at, window_days=REPEAT_WINDOW_DAYS):
    """The complainants seen on one issue within the window, this one included.

    `seen` maps a complainant key to the ISO time last seen; older entries drop out.
    """
    from datetime import datetime, timedelta

    cutoff = at - timedelta(days=window_days)
    kept = {key: when for key, when in seen.items() if datetime.fromisoformat(when) >= cutoff}
    kept[complainant] = at.isoformat()
    return kept


def grade_for_repeats(grade: str, distinct: int) -> str:
    """3+ different complainants on the same issue within a month make it at least B."""
    if distinct < REPEAT_THRESHOLD or grade in ("A", "B"):
        return grade
    return "B"


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def issue_key(category: str, department: str | None, person: str | None) -> str | None:
    """One issue = one category against one respondent; hashed so keys name nobody."""
    parts = [(part or "").strip().lower() for part in (department, person)]
    if not any(parts):
        return None
    return _digest("|".join([category, *parts]))


def complainant_key(contact: str | None, fallback: str) -> str:
    """The same person across complaints, by contact; anonymous ones count once each."""
    return _digest(contact.strip().lower()) if contact else _digest(f"anonymous|{fallback}")
