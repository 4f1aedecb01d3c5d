"""The deal terms agency lists give beside a price: the rebate (返点), the agency's service
fee (服务费), a discount (折扣) and whether the price includes tax (含税/不含税, 税点).

Like the parsers in ``values``: a raw cell in, a normalised value, None for "nothing
there", or ``ValueProblem`` with a readable reason.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kol_desk.errors import N_
from kol_desk.importing.errors import ValueProblem
from kol_desk.importing.values import (
    _APPROX_PREFIX,
    _NOTHING,
    _NUMBER,
    DISCOUNT_PROBLEM,
    ERROR_CODES,
    Unit,
    _nfkc,
    _to_decimal,
    discount_in_text,
    parse_price,
    plain_decimal,
)

__all__ = ["parse_discount", "parse_fee", "parse_share", "parse_tax"]

_SHARE_RE = re.compile(rf"({_NUMBER})\s*(%|个点|点|pts?|points?)?")
_DISCOUNT_RE = re.compile(rf"({_NUMBER})\s*折")
_TAX_NO = re.compile(r"不含|未税|税费另计|不开票|excl|exclusive|\bno\b|^否$|^n$|^无票|\+\s*(?:tax|vat)")
_TAX_YES = re.compile(r"含(?:\d+(?:\.\d+)?\s*%)?税|含票|可开票|开票|专票|普票|incl|inclusive|\byes\b|^是$|^y$|^√$|^✓$")


_NO_DISCOUNT = frozenset({"不打折", "无折扣", "没有折扣", "不折", "原价", "no discount", "none",
                          "无", "-", "--", "/", "n/a", "na"})


def parse_discount(raw: object) -> Decimal | None:
    """A 折扣 / discount cell as percent off the list price (九折 is 10, 八五折 15):
    '9折', '八五折', '10% off' and '减10%' say which way they count. A bare share is read
    the way lists write it: 0.9, 90% or 9 (tenths, as 9折) is the part paid, so 10 off;
    0.1, 10% or 10 to 50 is the part taken off (nobody lists half price as a discount
    of 50 % paid)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueProblem(N_("a yes/no value, not a discount"))
    if isinstance(raw, int | float):
        return _bare_discount(_to_decimal(raw), percent=False)
    if not isinstance(raw, str):
        raise ValueProblem(N_("a date or time, not a discount"))
    text = _nfkc(raw).lower()
    if not text or text in _NOTHING or text in _NO_DISCOUNT or text.upper() in ERROR_CODES:
        return None
    text = _APPROX_PREFIX.sub("", text).strip()
    off, rest = discount_in_text(text)
    if off is not None:
        if rest.strip(" ,;，；"):
            raise ValueProblem(DISCOUNT_PROBLEM)
        return off
    m = _SHARE_RE.fullmatch(text)
    if m is None:
        raise ValueProblem(DISCOUNT_PROBLEM)
    return _bare_discount(Decimal(m.group(1)), percent=bool(m.group(2)))


def _bare_discount(value: Decimal, *, percent: bool) -> Decimal | None:
    if value < 0:
        raise ValueProblem(N_("a discount cannot be negative"))
    if percent or value > 1:
        if not percent and value < 10:
            value *= 10  # 9 is 9折: 90 % paid
        if value > 100:
            raise ValueProblem(DISCOUNT_PROBLEM)
        share = value / 100
    else:
        share = value
    off = share if share <= Decimal("0.5") else 1 - share
    return None if off == 0 else plain_decimal(off * 100)


def _fraction(value: Decimal, *, tenths: bool = False) -> Decimal:
    """A share written as 0.15, 15 or (for discounts, ``tenths``) 8 for 8折."""
    if value < 0:
        raise ValueProblem(N_("a share cannot be negative"))
    if value <= 1:
        return value
    if tenths and value < 10:
        return value / 10
    if value <= 100:
        return value / 100
    raise ValueProblem(N_("not a share that I can read (expected e.g. 15% or 0.15)"))


def parse_share(raw: object, *, discount: bool = False) -> Decimal | None:
    """A rebate, a service-fee rate or a discount as a fraction: '15%', '15个点', 0.15 and
    15 are 0.15; with ``discount``, '8折' and 8 are 0.8 and '85折' is 0.85."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueProblem(N_("a yes/no value, not a share"))
    if isinstance(raw, int | float):
        return _fraction(_to_decimal(raw), tenths=discount)
    if not isinstance(raw, str):
        raise ValueProblem(N_("a date or time, not a share"))
    text = _nfkc(raw).lower()
    if not text or text in _NOTHING or text.upper() in ERROR_CODES:
        return None
    text = _APPROX_PREFIX.sub("", text).removeprefix("返").strip()
    if discount and (m := _DISCOUNT_RE.fullmatch(text)) is not None:
        value = Decimal(m.group(1))
        return value / 100 if value >= 10 else value / 10
    m = _SHARE_RE.fullmatch(text)
    if m is None:
        raise ValueProblem(N_("not a share that I can read (expected e.g. 15% or 0.15)"))
    value = Decimal(m.group(1))
    if m.group(2):
        return _fraction(value / 100)
    return _fraction(value, tenths=discount)


def parse_fee(raw: object, header_unit: Unit | None = None, *, default_currency: str = "CNY"
              ) -> tuple[Decimal | None, Decimal | None] | None:
    """A service fee: (amount, None) for '500' or '¥500', (None, share) for '10%'."""
    if raw is None:
        return None
    text = raw if isinstance(raw, str) else ""
    if (isinstance(raw, float | int) and not isinstance(raw, bool) and 0 < raw < 1) or (
            text and ("%" in text or "点" in text)):
        return None, parse_share(raw)
    price = parse_price(raw, header_unit, default_currency=default_currency)
    if price.unknown:
        return None
    if not price.is_exact:
        raise ValueProblem(N_("a service fee must be one amount or one share"))
    return price.min, None


def parse_tax(raw: object) -> tuple[bool | None, Decimal | None] | None:
    """A tax cell: (included?, rate). '含税'/'是' → (True, None); '不含税' → (False, None);
    '6%' → (None, 0.06); '含6%税' → (True, 0.06)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw, None
    if isinstance(raw, int | float):
        return None, parse_share(raw)
    text = _nfkc(str(raw)).lower()
    if not text or text in ("-", "--", "/") or text.upper() in ERROR_CODES:
        return None
    included = False if _TAX_NO.search(text) else True if _TAX_YES.search(text) else None
    rate_text = re.search(rf"{_NUMBER}\s*%", text)
    rate = parse_share(rate_text.group(0)) if rate_text else None
    if included is None and rate is None:
        raise ValueProblem(N_("not a tax note that I can read (expected e.g. 含税, 不含税 or 6%)"))
    return included, rate
