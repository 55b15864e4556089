"""Human-readable complaint numbers: TS-YYYYMMDD-NNNN, the date in the organisation's zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

PREFIX = "TS"


def local_day(instant: datetime, timezone: str) -> date:
    return instant.astimezone(ZoneInfo(timezone)).date()


def complaint_number(day: date, sequence: int) -> str:
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    # Four digits is the usual width; a busier day simply grows a fifth.
    return f"{PREFIX}-{day:%Y%m%d}-{sequence:04d}"
