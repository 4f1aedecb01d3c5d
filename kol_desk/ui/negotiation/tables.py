"""The negotiation view's tables: each source's latest quote as net cost, and the
account's price history."""

from __future__ import annotations

from decimal import Decimal

from kol_desk.i18n import tr
from kol_desk.labels import channel_label
from kol_desk.metrics import DASH
from kol_desk.services.pricing import Route
from kol_desk.services.pricing_model import AGREED
from kol_desk.ui.common.row_model import Column
from kol_desk.ui.money import money_text, price_shown


def route_columns(currency: str, cheapest: Decimal | None) -> list[Column]:
    """``cheapest``: the lowest net cost, shown in green (the cheapest route to the creator)."""
    def net_tip(r: Route) -> str:
        channel = channel_label(r.channel) if r.channel else tr("channel not stated")
        discount = tr(", less its {pct}% discount", pct=r.discount_pct) if r.discount_pct else ""
        return tr("{price} (the quote tax included{discount}) − rebate {rebate}% + service fee {fee} "
                  "+ platform fee {platform} ({channel}) = {net}, as a card counts it.",
                  price=money_text(r.price, currency), discount=discount, rebate=r.rebate_pct,
                  fee=money_text(r.service_fee, currency), platform=money_text(r.platform_fee, currency),
                  channel=channel, net=money_text(r.net, currency))

    return [
        Column("Source", lambda r: r.source),
        Column("Latest quote", lambda r: r.quoted_on.isoformat(), sort_key=lambda r: r.quoted_on),
        Column("Quote", lambda r: price_shown(r.quoted), sort_key=lambda r: r.price,
               numeric=True, tooltip=lambda r: f"{r.price_text}\n" + tr("{n} quote(s) from this source in all",
                                                                         n=r.quotes)),
        Column("Rebate", lambda r: f"{r.rebate_pct}%" if r.rebate_pct else DASH, numeric=True),
        Column("Service fee", lambda r: money_text(r.service_fee, currency) if r.service_fee else DASH,
               numeric=True),
        Column("Net cost", lambda r: money_text(r.net, currency), sort_key=lambda r: r.net, numeric=True,
               tooltip=net_tip, colour=lambda r: "#2e7d32" if r.net == cheapest else None),
        Column("Tax", lambda r: DASH if r.tax_included is None else tr("incl.") if r.tax_included else tr("excl.")),
    ]


def history_columns(currency: str) -> list[Column]:
    return [
        Column("Date", lambda h: h.on.isoformat(), sort_key=lambda h: h.on),
        Column("Source", lambda h: h.source),
        Column("Kind", lambda h: tr("Agreed fee") if h.kind == AGREED else tr("Quote")),
        Column("Price", lambda h: money_text(h.amount, currency), sort_key=lambda h: h.amount, numeric=True),
        Column("Net cost", lambda h: money_text(h.net, currency) if h.net is not None else DASH,
               sort_key=lambda h: h.net, numeric=True,
               tooltip=lambda h: tr("The quote tax included, less its discount and rebate, plus its service "
                                          "fee and its channel's platform fee")),
    ]
