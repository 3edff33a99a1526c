"""Cron expressions, checked and translated to systemd OnCalendar so one schedule serves both."""

from __future__ import annotations

from dataclasses import dataclass

from tslcd.errors import InputError

DAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
DAY_NAMES = {d.lower(): i for i, d in enumerate(DAYS)}
MONTH_NAMES = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12),
          ("day of week", 0, 7))


@dataclass(frozen=True)
class CronSpec:
    """A validated five-field cron expression."""

    text: str
    minute: list[int] | None  # None means every value ("*")
    hour: list[int] | None
    dom: list[int] | None
    month: list[int] | None
    dow: list[int] | None

    def on_calendar(self) -> str:
        """The systemd OnCalendar equivalent, e.g. ``Mon *-*-* 02:30:00``."""
        def part(values: list[int] | None, width: int = 2) -> str:
            return "*" if values is None else ",".join(f"{v:0{width}d}" for v in values)

        date = f"*-{part(self.month)}-{part(self.dom)}"
        time = f"{part(self.hour)}:{part(self.minute)}:00"
        if self.dow is None:
            return f"{date} {time}"
        days = ",".join(DAYS[d % 7] for d in sorted({d % 7 for d in self.dow}))
        return f"{days} {date} {time}"


def _names(token: str, index: int) -> str:
    lowered = token.lower()
    table = DAY_NAMES if index == 4 else MONTH_NAMES if index == 3 else {}
    return str(table[lowered]) if lowered in table else token


def _field(text: str, index: int) -> list[int] | None:
    name, low, high = FIELDS[index]
    if text == "*":
        return None
    values: set[int] = set()
    for item in text.split(","):
        base, _, step_text = item.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValueError(f"bad step {step_text!r} in {name}")
            step = int(step_text)
        if base == "*":
            start, end = low, high if index != 4 else 6
        elif "-" in base:
            a, b = base.split("-", 1)
            start, end = int(_names(a, index)), int(_names(b, index))
        else:
            start = int(_names(base, index))
            end = high if step_text else start
        if not (low <= start <= high and low <= end <= high and start <= end):
            raise ValueError(f"{name} {item!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return sorted(values)


def parse_cron(text: str) -> CronSpec:
    """Parse ``m h dom mon dow``; an error names the field that is wrong."""
    parts = text.split()
    if len(parts) != 5:
        raise InputError(f"cron expression {text!r} must have 5 fields (minute hour day month weekday)")
    try:
        fields = [_field(p, i) for i, p in enumerate(parts)]
    except ValueError as exc:
        raise InputError(f"cron expression {text!r}: {exc}") from None
    if fields[2] is not None and fields[4] is not None:
        raise InputError(
            f"cron expression {text!r} restricts both day of month and day of week: cron runs on "
            "either, systemd only on both; restrict one of them"
        )
    return CronSpec(text, *fields)
