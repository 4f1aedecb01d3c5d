"""Checking what a user types into a form. Each parser returns the clean value, or
raises ``Invalid`` with a reason a marketer can read (shown next to the field).

One set of rules for every form: money with at most two decimals, whole counts,
percentages from 0 to 100 %, dates, web addresses, scores 1-5, free text without
control characters.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from kol_desk.i18n import tr

MAX_TEXT = 20_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SEPARATORS = re.compile(r"[,\s\u00a0]")
MONEY_LIMIT = Decimal("100000000000000")  # 10^14 yuan: the column holds 16 digits


class Invalid(ValueError):
    """The reason a value was refused, already in the user's language."""


def _shown(text: str, limit: int = 40) -> str:
    """The refused text as quoted back in the reason: without control or direction
    characters, and short — a pasted 20,000-character text would otherwise widen the
    message label past the window."""
    cleaned = " ".join(_CONTROL.sub("", text).split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _fold(text: str) -> str:
    # Full-width digits and punctuation (１２３，４５６) are common in Chinese input.
    return unicodedata.normalize("NFKC", text).strip()


def clean_text(text: str, *, max_length: int = MAX_TEXT, multiline: bool = True) -> str:
    """Free text as stored: control and direction-override characters removed (they
    break layouts and hide content), outer whitespace stripped, length bounded."""
    cleaned = _CONTROL.sub("", text)
    if not multiline:
        cleaned = " ".join(cleaned.split())
    cleaned = cleaned.strip()
    if len(cleaned) > max_length:
        raise Invalid(tr("Too long: at most {n} characters.", n=f"{max_length:,}"))
    return cleaned


def parse_money(text: str, *, allow_negative: bool = False) -> Decimal | None:
    """Yuan (or the campaign currency) with at most two decimals; blank is None."""
    folded = _SEPARATORS.sub("", _fold(text)).lstrip("¥￥$").removesuffix("元")
    if not folded:
        return None
    try:
        amount = Decimal(folded)
    except InvalidOperation:
        raise Invalid(tr("Not an amount of money: {text}", text=_shown(text))) from None
    if not amount.is_finite():
        raise Invalid(tr("Not an amount of money: {text}", text=_shown(text)))
    if abs(amount) >= MONEY_LIMIT:
        raise Invalid(tr("The amount is too large."))
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid(tr("Money has at most two decimals."))
    if amount < 0 and not allow_negative:
        raise Invalid(tr("The amount cannot be negative."))
    return amount.quantize(Decimal("0.01"))


def parse_count(text: str) -> int | None:
    """A whole, non-negative number (followers, views, orders); blank is None."""
    folded = _SEPARATORS.sub("", _fold(text))
    if not folded:
        return None
    if not folded.isdigit():
        raise Invalid(tr("Not a whole number: {text}", text=_shown(text)))
    value = int(folded)
    if value >= 10**15:
        raise Invalid(tr("The number is too large."))
    return value


def parse_percent(text: str) -> Decimal | None:
    """A percentage from 0 to 100, typed with or without %; returned as a fraction."""
    folded = _fold(text).removesuffix("%").strip()
    if not folded:
        return None
    try:
        value = Decimal(folded)
    except InvalidOperation:
        raise Invalid(tr("Not a percentage: {text}", text=_shown(text))) from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise Invalid(tr("A percentage is between 0 and 100."))
    return value / 100


def parse_score(text: str) -> int | None:
    """A quality score from 1 to 5; blank is None."""
    folded = _fold(text)
    if not folded:
        return None
    if folded not in {"1", "2", "3", "4", "5"}:
        raise Invalid(tr("A score is a whole number from 1 to 5."))
    return int(folded)


def parse_date(text: str) -> date | None:
    """A date as 2026-11-11, 2026/11/11, 2026.11.11 or 2026年11月11日; blank is None."""
    folded = _fold(text)
    if not folded:
        return None
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", folded)
    if match is None:
        raise Invalid(tr("Not a date (use 2026-11-11): {text}", text=_shown(text)))
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise Invalid(tr("No such date: {text}", text=_shown(text))) from None


def parse_url(text: str) -> str | None:
    """A web address; ``www.example.com/x`` gets https:// added. Blank is None."""
    folded = clean_text(text, max_length=2000, multiline=False)
    if not folded:
        return None
    if "://" not in folded:
        folded = "https://" + folded
    try:
        parts = urlsplit(folded)
    except ValueError:  # "Invalid IPv6 URL" for a stray bracket: found by pasting junk
        raise Invalid(tr("Not a web address: {text}", text=_shown(text))) from None
    if parts.scheme not in {"http", "https"} or not parts.netloc or " " in folded or "." not in parts.netloc:
        raise Invalid(tr("Not a web address: {text}", text=_shown(text)))
    return folded
