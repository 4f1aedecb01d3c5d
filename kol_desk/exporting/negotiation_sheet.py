"""The negotiation sheet for a meeting: one printable page (PDF and .xlsx) with the fair
price, its evidence, the routes and the expected results of one creator or a shortlist.

``sheet_content`` turns the facts into translated text in the language asked for (on the
GUI thread, where the language is switched); the writers use only that text, so they can
run on a worker thread. Nothing here needs a network.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from kol_desk.charts.pricing import chart_labels, price_figure
from kol_desk.errors import N_
from kol_desk.exporting.xlsx import ExportColumn, ExportError, XlsxExport
from kol_desk.i18n import current_language, set_language, tr
from kol_desk.labels import deliverable_label, platform_label, tier_label
from kol_desk.metrics import DASH, format_money
from kol_desk.services.pricing import NegotiationFacts, Range
from kol_desk.store.files import refuse_to_overwrite_database

COLUMNS = (
    (N_("Creator"), "text"), (N_("Platform"), "text"), (N_("Followers"), "int"), (N_("Tier"), "text"),
    (N_("Deliverable"), "text"), (N_("Price on the table"), "money"), (N_("Cheapest route (net)"), "text"),
    (N_("Ask"), "money"), (N_("Target"), "money"), (N_("Walk away"), "money"), (N_("Comparables"), "int"),
    (N_("Comparables P25–P75"), "text"), (N_("Per 10k followers"), "money"), (N_("Expected views"), "text"),
    (N_("Expected CPE"), "text"), (N_("Why"), "text"), (N_("Evidence"), "text"),
)


@dataclass
class SheetContent:
    title: str
    subtitle: str
    headers: list[str]
    kinds: list[str]
    currency: str
    rows: list[list[Any]] = field(default_factory=list)
    # Per creator: a heading and the lines of its page in the PDF, and its chart's texts.
    pages: list[tuple[str, list[str]]] = field(default_factory=list)
    chart_labels: list[dict[str, str]] = field(default_factory=list)


@contextmanager
def language(code: str) -> Iterator[None]:
    """The catalog of ``code`` while the sheet's text is made; the UI's afterwards."""
    before = current_language()
    set_language(code)
    try:
        yield
    finally:
        set_language(before)


def _span(r: Range | None, money: bool = False, currency: str = "CNY") -> str:
    if r is None:
        return DASH
    if money:
        return f"{format_money(r.low, currency)}–{format_money(r.high, currency)}"
    return f"{r.low:,}–{r.high:,}"


def sheet_content(facts: Sequence[NegotiationFacts], lang: str, today: date) -> SheetContent:
    with language(lang):
        currencies = {f.currency for f in facts}
        if len(currencies) > 1:
            # told in the window's language, not the sheet's (translated where shown)
            raise ExportError(N_("The shortlist is priced in {currencies}: make one sheet per "
                                 "currency."), currencies=", ".join(sorted(currencies)))
        currency = currencies.pop() if currencies else "CNY"
        content = SheetContent(
            tr("Negotiation sheet"),
            tr("{n} creator(s) · made {day} · money in {currency}; estimates rest only on this workspace's data",
               n=len(facts), day=today.isoformat(), currency=currency),
            [tr(title) for title, _ in COLUMNS], [kind for _, kind in COLUMNS], currency)
        for f in facts:
            s, e, p = f.subject, f.estimate, f.peers
            cheapest = f"{f.routes[0].source}: {format_money(f.routes[0].net, currency)}" if f.routes else DASH
            views = f.expected.views if f.expected else None
            cpe = f.expected.cpe if f.expected else None
            quartile = f"{format_money(p.q1, currency)}–{format_money(p.q3, currency)}" if p.q1 is not None else DASH
            content.rows.append([
                s.nickname, f"{platform_label(s.platform)} @{s.handle}", s.followers,
                tier_label(s.tier), deliverable_label(s.deliverable),
                f.price, cheapest, e.ask if e else None, e.target if e else None, e.walk_away if e else None,
                p.count, quartile, p.per_10k, _span(views), _span(cpe, True, currency), f.reason, f.evidence])
            content.pages.append((f"{s.nickname} · {content.rows[-1][1]} · {content.rows[-1][4]}",
                                  _page_lines(f, content.headers, content.rows[-1], currency)))
            content.chart_labels.append(chart_labels(f))
    return content


def _page_lines(f: NegotiationFacts, headers: list[str], row: list[Any], currency: str) -> list[str]:
    def shown(value: Any) -> str:
        if value is None:
            return DASH
        return format_money(value, currency) if isinstance(value, Decimal) else f"{value:,}" \
            if isinstance(value, int) else str(value)

    lines = [f"{h}: {shown(v)}" for h, v in zip(headers[2:-2], row[2:-2], strict=True)]
    lines += [tr("Quotes by source (net cost):")]
    lines += [f"   {r.source} · {r.quoted_on.isoformat()} · {r.price_text} → {format_money(r.net, currency)}"
              for r in f.routes[:8]]
    return [*lines, f.reason, f.evidence]


def write_xlsx(content: SheetContent, path: Path) -> Path:
    columns = [ExportColumn(h, kind if kind != "money" else "money", currency=content.currency)  # type: ignore[arg-type]
               for h, kind in zip(content.headers, content.kinds, strict=True)]
    with XlsxExport(path, constant_memory=False) as book:
        info = book.add_table(content.title[:31], columns, content.rows, title=content.title,
                              subtitle=content.subtitle)
        # Reasons and evidence wrap, so the page stays one page wide when printed.
        wrap = book.format(text_wrap=True, valign="top")
        info.sheet.set_column(len(columns) - 2, len(columns) - 1, 48, wrap)
    return path


def write_pdf(content: SheetContent, path: Path, facts: Sequence[NegotiationFacts] = ()) -> Path:
    """One A4 landscape page per creator: its figures and reasons, and its price chart
    (``facts`` in the same order as the creators)."""
    from matplotlib.backends.backend_pdf import PdfPages

    from kol_desk.charts.render import new_figure, render_png

    refuse_to_overwrite_database(path)  # the finished file is renamed over the target
    partial = path.with_name(f".{path.name}.partial")
    try:
        with PdfPages(partial) as pdf:
            if len(content.rows) > 1:
                pdf.savefig(_summary_page(content, new_figure))
            for index, (heading, lines) in enumerate(content.pages or [(content.title, [])]):
                page = new_figure(11.69, 8.27)
                page.set_layout_engine("none")  # the page places its parts itself
                page.text(0.03, 0.96, f"{content.title} — {heading}", fontsize=14, va="top")
                page.text(0.03, 0.92, content.subtitle, fontsize=8, color="#666666", va="top")
                text = "\n".join(_wrap(line, 95) for line in lines)
                page.text(0.03, 0.88, text, fontsize=8.5, va="top", linespacing=1.5)
                chart = price_figure(facts[index], content.chart_labels[index]) if index < len(facts) else None
                if chart is not None:
                    _draw_chart_into(page, render_png(chart, dpi=150))
                pdf.savefig(page)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportError(N_("Cannot write {file}: {reason}."), file=str(path),
                          reason=exc.strerror or exc) from exc
    return path


# The shortlist page: the columns a meeting compares across creators.
SUMMARY = (0, 1, 2, 5, 6, 7, 8, 9, 10, 11)
SUMMARY_ROWS = 28  # an A4 landscape page at this size; a longer shortlist continues on the creator pages


def _summary_page(content: SheetContent, new_figure: Any) -> Any:
    page = new_figure(11.69, 8.27)
    page.set_layout_engine("none")
    page.text(0.03, 0.96, content.title, fontsize=14, va="top")
    page.text(0.03, 0.92, content.subtitle, fontsize=8, color="#666666", va="top")
    axes = page.add_axes((0.03, 0.05, 0.94, 0.84))
    axes.axis("off")

    def cell(value: Any) -> str:
        if value is None:
            return DASH
        if isinstance(value, Decimal):
            return format_money(value, content.currency)
        return f"{value:,}" if isinstance(value, int) else str(value)[:40]

    rows = [[cell(row[i]) for i in SUMMARY] for row in content.rows[:SUMMARY_ROWS]]
    table = axes.table(cellText=rows, colLabels=[content.headers[i] for i in SUMMARY], loc="upper left",
                       cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(7)
    table.auto_set_column_width(list(range(len(SUMMARY))))
    table.scale(1, 1.5)
    return page


def _draw_chart_into(page: Any, chart_png: bytes) -> None:
    import io

    from matplotlib.image import imread

    axes = page.add_axes((0.5, 0.06, 0.48, 0.6))
    axes.imshow(imread(io.BytesIO(chart_png), format="png"))
    axes.axis("off")


def _wrap(line: str, width: int) -> str:
    """Wrap long lines by display width (a Chinese character counts twice)."""
    out, current, used = [], "", 0
    for ch in line:
        step = 2 if ord(ch) > 0x2E80 else 1
        if used + step > width:
            out.append(current)
            current, used = "   ", 3
        current += ch
        used += step
    out.append(current)
    return "\n".join(out)
