"""What stands between an SMS in the outbox and SNS: the recipient's opt-out and the
organisation's daily SMS cap. Both are keyed items in the complaints table:

- `SMSOPTOUT#<sha256 of the number>` / `SMSOPTOUT`: the number asked for no more SMS
  (the hash, so the item names nobody);
- `SMSDAY#<yyyymmdd>` / `SMSDAY`: SMS sent that day (organisation time), counted by one
  conditional atomic update per message, so concurrent senders never pass the cap.

Over the cap a message is deferred to the next day's opening time (it waits in the
outbox, not counted as a failed attempt) and `SmsDeferred` is counted for the alarm.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from ..domain.notifications import Message
from ..metrics_names import SMS_DEFERRED
from ..service.ports import Deferred, Suppressed
from .dynamo import CounterItem, conditional_write


def number_key(number: str) -> str:
    return "SMSOPTOUT#" + hashlib.sha256(number.encode("utf-8")).hexdigest()


class DynamoSmsGate:
    def __init__(self, daily_cap: int | Callable[[], int], calendar: Callable):
        self._daily_cap = daily_cap  # a number, or where to read today's (the settings)
        self._calendar = calendar

    @property
    def daily_cap(self) -> int:
        return self._daily_cap() if callable(self._daily_cap) else self._daily_cap

    def opted_out(self, number: str) -> bool:
        try:
            CounterItem.get(number_key(number), "SMSOPTOUT", consistent_read=True)
        except DoesNotExist:
            return False
        return True

    def opt_out(self, number: str) -> bool:
        """Record the opt-out; False if it was already recorded."""
        item = CounterItem(number_key(number), "SMSOPTOUT", value=1)
        return conditional_write(item.save, condition=CounterItem.pk.does_not_exist())

    def take(self, now: datetime) -> bool:
        """Count one SMS against today's cap; False if the cap is reached."""
        day = self._calendar().local(now).date()
        item = CounterItem(f"SMSDAY#{day:%Y%m%d}", "SMSDAY")
        below_cap = CounterItem.value.does_not_exist() | (CounterItem.value < self.daily_cap)
        return conditional_write(
            item.update, actions=[CounterItem.value.add(1)], condition=below_cap
        )

    def next_window(self, now: datetime) -> datetime:
        calendar = self._calendar()
        return calendar.opening_time(calendar.local(now).date() + timedelta(days=1))


class GatedNotifier:
    """Wraps the notifier: an SMS goes out only to a number that has not opted out and
    within the day's cap. Everything else passes through unchanged."""

    def __init__(self, inner, gate: DynamoSmsGate, now: Callable[[], datetime]):
        self.inner = inner
        self.gate = gate
        self._now = now

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def send(self, message: Message) -> None:
        if message.channel == "sms":
            self._admit(message)
        self.inner.send(message)

    def _admit(self, message: Message) -> None:
        if self.gate.opted_out(message.recipient):
            raise Suppressed("the recipient opted out of SMS")
        now = self._now()
        if not self.gate.take(now):
            from ..observability import count

            count(SMS_DEFERRED)
            raise Deferred("daily SMS cap reached", self.gate.next_window(now))
