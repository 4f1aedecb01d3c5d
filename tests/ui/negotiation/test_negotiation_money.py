"""The negotiation view writes money as a person does: whole quotes without ".00", the
exact quote on hover; the negotiation sheet keeps its cents (its own tests)."""

from __future__ import annotations

import re

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from kol_desk.models import Quote
from kol_desk.ui.context import AppContext
from kol_desk.ui.negotiation.view import NegotiationView

CENTS = re.compile(r"\d\.00\b")


def test_quotes_and_the_reason_are_written_without_empty_cents(qtbot: QtBot, context: AppContext) -> None:
    with context.workspace.session() as session:
        account = session.scalar(select(Quote.account_id).group_by(Quote.account_id)
                                 .order_by(func.count().desc(), Quote.account_id).limit(1))
    assert account is not None
    view = NegotiationView(context, account)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.routes.rowCount() > 0, timeout=20_000)
    quote = [c.title for c in view.routes.columns].index("Quote")
    shown = [view.routes.data(view.routes.index(r, quote)) for r in range(view.routes.rowCount())]
    exact = [view.routes.row_object(r).price_text for r in range(view.routes.rowCount())]
    assert any(CENTS.search(text) for text in exact)  # the demo's quotes are whole amounts
    assert not any(CENTS.search(text) for text in shown)
    assert all(e in str(view.routes.data(view.routes.index(r, quote), 3)) for r, e in enumerate(exact))
    assert view.reason.text() and not CENTS.search(view.reason.text())
    facts = view.facts
    assert facts is not None and facts.estimate is not None
    assert CENTS.search(facts.reason)  # the sheet's text keeps the cents
