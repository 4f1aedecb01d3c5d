"""Deal economics: the one definition of what a collaboration really costs.

net cost = agreed fee − rebate (返点) + service fee (服务费) + platform fee. The card's
``net_fee`` column holds it (before VAT); this module keeps it in step on every ORM
write of a card (the listener below, registered when the services package loads).

The VAT, by the card's invoice type (services/money.fee_tax, the one tax rule):
- unstated or ordinary invoice (普票): a tax-exclusive fee adds VAT on the net cost
  (10,000 at 6 % costs 10,600); a tax-included fee holds it. The VAT is a cost.
- special VAT invoice (专票): the same money is paid, but the VAT is deductible input
  VAT: a tax-included 10,600 at 6 % is 10,000 after deduction, a tax-exclusive 10,000
  is 10,000 after deduction (the 600 paid comes back in the VAT return).
- no invoice: a tax-exclusive fee adds no VAT (10,000 costs 10,000).

What budget counts: the money paid out (``Breakdown.total``, = money.collaboration_cost),
because commitments and spent must match the payments recorded against them. The cost
after deductible VAT (``Breakdown.after_deduction``) is shown in the card's breakdown and
heading beside it, under its own label, and never summed into budget figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import event, func, select

from kol_desk.domain import Channel, InvoiceType, platform_channel
from kol_desk.errors import BadInputError
from kol_desk.i18n import tr
from kol_desk.models import Agency, Collaboration, Setting
from kol_desk.services.money import cents, fee_tax
from kol_desk.store.database import Workspace
from kol_desk.store.team import text_order

ZERO = Decimal(0)
RATES_SETTING = "deals.platform_fee_percent"
# Practitioners' figures (about 5 % on 星图); rates change, so the user sets
# them in Settings → Platform fees; a card keeps the rate it was agreed at.
DEFAULT_PLATFORM_FEE_PERCENT: dict[Channel, Decimal] = {
    Channel.XINGTU: Decimal(5),
    Channel.PUGONGYING: Decimal(10),
    Channel.HUAHUO: Decimal(7),
    Channel.WEIRENWU: Decimal(5),
    Channel.PLATFORM_OTHER: Decimal(5),
    Channel.DIRECT: ZERO,
}


def percent(value: float | Decimal | None) -> Decimal:
    """A stored float percentage as the exact Decimal the user typed (15.5 stays 15.5)."""
    return ZERO if value is None else Decimal(str(value))


@dataclass(frozen=True)
class Breakdown:
    """Each part of a deal's cost, in the campaign currency, exact to the cent."""

    fee: Decimal
    rebate: Decimal
    service_fee: Decimal
    platform_fee: Decimal
    tax: Decimal  # VAT added on top of a tax-exclusive fee (0 without invoice)
    rebate_pct: Decimal
    platform_fee_pct: Decimal
    channel: str | None
    invoice_type: str | None = None  # domain.InvoiceType value; None when unstated
    tax_included: bool = True
    tax_rate: Decimal = ZERO  # a fraction: 0.06 = 6 %
    deductible_vat: Decimal = ZERO  # the VAT a special invoice lets the buyer deduct

    @property
    def net(self) -> Decimal:
        """The net cost before the VAT a tax-exclusive fee adds (the card's net_fee)."""
        return self.fee - self.rebate + self.service_fee + self.platform_fee

    @property
    def total(self) -> Decimal:
        """The money paid out: what budget, payments and cost metrics count."""
        return self.net + self.tax

    @property
    def after_deduction(self) -> Decimal:
        """The cost once a special invoice's VAT is deducted (equal to total otherwise)."""
        return self.total - self.deductible_vat


def breakdown(fee: Decimal, *, channel: str | None = None, rebate_pct: float | Decimal | None = None,
              service_fee: Decimal | None = None, platform_fee_pct: float | Decimal | None = None,
              tax_included: bool | None = True, tax_rate: float | Decimal | None = None,
              invoice_type: str | None = None) -> Breakdown:
    """The parts of a deal. A direct deal pays no platform fee whatever rate is stored;
    the VAT follows money.fee_tax on the net amount invoiced (an unknown tax basis counts
    as included, the usual quote)."""
    rebate_rate = percent(rebate_pct)
    platform_rate = ZERO if channel in (None, Channel.DIRECT.value) else percent(platform_fee_pct)
    rebate = cents(fee * rebate_rate / 100)
    platform = cents(fee * platform_rate / 100)
    service = service_fee or ZERO
    vat = fee_tax(fee - rebate + service + platform, tax_included, tax_rate, invoice_type)
    return Breakdown(cents(fee), rebate, cents(service), platform, vat.tax, rebate_rate,
                     platform_rate, channel, invoice_type, vat.tax_included, vat.rate, vat.deductible)


def net_fee(collab: Collaboration) -> Decimal | None:
    if collab.agreed_fee is None:
        return None
    return breakdown(collab.agreed_fee, channel=collab.channel, rebate_pct=collab.rebate_pct,
                     service_fee=collab.service_fee,
                     platform_fee_pct=collab.platform_fee_pct).net


@event.listens_for(Collaboration, "before_insert")
@event.listens_for(Collaboration, "before_update")
def _keep_net_fee(_mapper: Any, _connection: Any, collab: Collaboration) -> None:
    # A column set in before_update is still written by the same UPDATE.
    collab.net_fee = net_fee(collab)


def platform_fee_rates(workspace: Workspace) -> dict[Channel, Decimal]:
    """The workspace's platform fee per channel, in percent (defaults where unset)."""
    with workspace.session() as session:
        stored = session.scalar(select(Setting.value).where(Setting.key == RATES_SETTING))
    return rates_from(stored)


def rates_from(stored: dict[str, Any] | None) -> dict[Channel, Decimal]:
    """The stored setting's rates over the defaults."""
    rates = dict(DEFAULT_PLATFORM_FEE_PERCENT)
    for key, value in (stored or {}).items():
        try:
            rates[Channel(key)] = Decimal(str(value))
        except (ValueError, InvalidOperation):
            continue  # a channel or value this version does not know keeps its default
    return rates


def set_platform_fee_rates(workspace: Workspace, rates: dict[Channel, Decimal]) -> None:
    set_deal_terms(workspace, rates, {})


def set_deal_terms(workspace: Workspace, rates: dict[Channel, Decimal],
                   rebates: dict[int, Decimal | None]) -> None:
    """Platform fee rates and agencies' usual rebates, in one transaction (all or nothing)."""
    for channel, rate in rates.items():
        if not ZERO <= rate <= 100:
            raise BadInputError(tr("The platform fee of {channel} must be a percentage from 0 to 100.",
                                   channel=channel.value))
    for pct in rebates.values():
        if pct is not None and not ZERO <= pct <= 100:
            raise BadInputError(tr("A rebate is a percentage from 0 to 100."))
    with workspace.transaction() as session:
        setting = session.scalar(select(Setting).where(Setting.key == RATES_SETTING))
        value = {c.value: str(r) for c, r in rates.items()}
        if setting is None:
            session.add(Setting(key=RATES_SETTING, value=value))
        else:
            setting.value = value
        for agency in session.scalars(select(Agency).where(Agency.id.in_(list(rebates)))):
            wanted = rebates[agency.id]
            agency.rebate_pct = None if wanted is None else float(wanted)


def default_channel(platform: str) -> Channel:
    return platform_channel(platform)


def cost_of(collab: Collaboration) -> Decimal | None:
    """The net cost budget and metrics count for a card (its agreed fee until the
    listener has filled the net cost, e.g. a row written before revision 0004)."""
    return collab.net_fee if collab.net_fee is not None else collab.agreed_fee


# The same in SQL, for sums and selects.
NET_COST = func.coalesce(Collaboration.net_fee, Collaboration.agreed_fee)


def fields_breakdown(fields: dict[str, Any]) -> Breakdown | None:
    """The parts of a card's deal from the card's editable fields (services/collaboration)."""
    fee = fields.get("agreed_fee")
    if fee is None:
        return None
    return breakdown(fee, channel=fields.get("channel"), rebate_pct=fields.get("rebate_pct"),
                     service_fee=fields.get("service_fee"), platform_fee_pct=fields.get("platform_fee_pct"),
                     tax_included=fields.get("tax_included"), tax_rate=fields.get("tax_rate"),
                     invoice_type=fields.get("invoice_type"))


def describe(parts: Breakdown, currency: str) -> str:
    """The breakdown in one line per part, for the card's tooltip and note."""
    from kol_desk.metrics import format_money

    def money(value: Decimal) -> str:
        return format_money(value, currency)

    def pct(value: Decimal) -> str:
        return f"{value.normalize():f}"

    lines = [
        tr("Agreed fee {fee}", fee=money(parts.fee)),
        tr("− rebate {pct}%: {amount}", pct=pct(parts.rebate_pct), amount=money(parts.rebate)),
        tr("+ service fee {amount}", amount=money(parts.service_fee)),
        tr("+ platform fee {pct}%: {amount}", pct=pct(parts.platform_fee_pct), amount=money(parts.platform_fee)),
        tr("= net cost before VAT {amount}", amount=money(parts.net)),
        vat_line(parts, money),
        tr("= {amount} paid out (what budget and cost metrics count)", amount=money(parts.total)),
    ]
    if parts.deductible_vat:
        lines.append(tr("− deductible VAT {amount} (special invoice) = {after} after deduction "
                        "(not a budget figure)", amount=money(parts.deductible_vat),
                        after=money(parts.after_deduction)))
    return "\n".join(lines)


def vat_line(parts: Breakdown, money: Any) -> str:
    """The VAT line of a breakdown with its sign, by the card's invoice type."""
    rate = f"{(parts.tax_rate * 100).normalize():f}"
    if not parts.tax_included and parts.invoice_type == InvoiceType.NONE:
        return tr("+ VAT 0 (no invoice)")
    if not parts.tax_included:
        return tr("+ VAT {pct}%: {amount} (fee quoted without tax)", pct=rate, amount=money(parts.tax))
    if parts.invoice_type == InvoiceType.SPECIAL:
        return tr("+ VAT 0 (included in the fee; {amount} of it deductible)",
                  amount=money(parts.deductible_vat))
    return tr("+ VAT 0 (included in the fee)")


@dataclass(frozen=True)
class AgencyRebate:
    id: int
    name: str
    rebate_pct: Decimal | None


def agency_rebates(workspace: Workspace) -> list[AgencyRebate]:
    """Every agency's usual rebate (返点), which its quotes without their own count with."""
    with workspace.session() as session:
        return [AgencyRebate(i, name, None if pct is None else percent(pct))
                for i, name, pct in session.execute(
                    select(Agency.id, Agency.name, Agency.rebate_pct).order_by(text_order(Agency.name)))]

