"""The creator list export: every account of the workspace (or of a search), formats,
frozen header, and the same rows the Creators tab would find."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from kol_desk.exporting.creators import count_creator_rows, creator_rows, write_creators
from kol_desk.models import Creator, PlatformAccount
from kol_desk.store.database import Workspace


def test_all_accounts_are_exported_with_formats(demo_workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "creators.xlsx"
    rows = write_creators(demo_workspace, path)
    with demo_workspace.session() as session:
        accounts = session.scalar(select(func.count()).select_from(PlatformAccount).join(Creator)
                                  .where(Creator.deleted_at.is_(None)))
    assert rows == accounts == count_creator_rows(demo_workspace)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert sheet["A1"].value == "Creator list" and sheet.freeze_panes == "A5"
    header = [c.value for c in sheet[4]]
    assert header[:5] == ["Creator", "Platform", "Account", "Profile link", "Followers"]
    assert sheet.max_row == 4 + rows
    first = sheet[5]
    followers = [sheet.cell(r, 5).value for r in range(5, sheet.max_row + 1)]
    assert followers == sorted(followers, key=lambda v: -(v if isinstance(v, int) else -1))
    assert first[header.index("Followers")].number_format == "#,##0"
    assert first[header.index("Engagement rate")].number_format == "0.00%"
    priced = [r for r in sheet.iter_rows(min_row=5) if isinstance(r[header.index("Latest quote (after discount, incl. tax): low")].value, float | int)]
    assert priced and priced[0][header.index("Latest quote (after discount, incl. tax): low")].number_format == '"¥"#,##0.00'
    assert sheet.page_setup.orientation == "landscape"


def test_search_narrows_the_list(demo_workspace: Workspace, tmp_path: Path) -> None:
    found = list(creator_rows(demo_workspace, "牛奶"))
    with demo_workspace.session() as session:
        texts = session.execute(select(Creator.search_text).join(PlatformAccount)).scalars().all()
    expected = sum(1 for text in texts if "牛奶" in text)
    assert 0 < len(found) == expected < count_creator_rows(demo_workspace)
    rows = write_creators(demo_workspace, tmp_path / "milk.xlsx", "牛奶")
    assert rows == len(found) == count_creator_rows(demo_workspace, "牛奶")


def test_progress_is_reported_in_chunks(demo_workspace: Workspace, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    write_creators(demo_workspace, tmp_path / "p.xlsx", progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] == count_creator_rows(demo_workspace)
