"""A KOL Desk window in a process of its own, opened exactly as ``kol-desk`` opens one
(the workspace lock, the start-up check and backup after the window shows), driven by
one-line commands on its standard input for the tests that need two real processes.

Commands (one answer line each, ``ok ...`` or ``error ...``):
``write NAME`` creates a campaign as the Campaigns tab does; ``activate`` tells the
window the user came back to it (the refresh a user triggers by switching windows);
``creators`` answers with the number of rows the Creators tab shows; ``undo-import``
undoes the newest import as the wizard's Import history does; ``quit`` closes the
window. The first line, ``ready PID``, comes once the start-up backup is written.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"


def main(database: str) -> int:
    from PySide6.QtCore import Qt, QTimer

    from kol_desk.app import Application, make_qt_app
    from kol_desk.i18n import set_language
    from kol_desk.paths import backups_dir
    from kol_desk.preferences import Preferences
    from kol_desk.services import import_batches
    from kol_desk.services.campaigns import CampaignInput, create_campaign
    from kol_desk.ui.context import Change

    app = make_qt_app()
    set_language("en")
    application = Application(app, Preferences())
    window = application.open(database)
    if window is None:
        print("error the window did not open", flush=True)
        return 3
    workspace = window.context.workspace
    commands: queue.Queue[str] = queue.Queue()

    def read_stdin() -> None:
        for line in sys.stdin:
            commands.put(line.strip())
        commands.put("quit")

    def answer(text: str) -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    def handle(command: str) -> None:
        verb, _, rest = command.partition(" ")
        if verb == "write":
            campaign_id = create_campaign(workspace, CampaignInput(name=rest))
            window.context.events.announce(Change.CAMPAIGNS)
            answer(f"ok {campaign_id}")
        elif verb == "activate":
            app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
            answer("ok")
        elif verb == "creators":
            answer(f"ok {window.creators_tab.model.total}")
        elif verb == "undo-import":
            newest = import_batches.list_batches(workspace)[0]
            import_batches.undo_batch(workspace, newest.id)
            window.context.events.announce(Change.CREATORS)
            answer(f"ok {newest.id}")
        elif verb == "quit":
            window.close()
            app.quit()
        else:
            answer(f"error unknown command {command!r}")

    def poll() -> None:
        while not commands.empty():
            command = commands.get()
            try:
                handle(command)
            except Exception as exc:  # the test reads it instead of waiting forever
                answer(f"error {type(exc).__name__}: {exc}")

    def wait_for_startup_backup() -> None:
        if any(backups_dir().glob("*-startup.sqlite")):
            answer(f"ready {os.getpid()}")
            threading.Thread(target=read_stdin, daemon=True).start()
            timer.timeout.connect(poll)
        else:
            QTimer.singleShot(50, wait_for_startup_backup)

    timer = QTimer()
    timer.start(20)
    QTimer.singleShot(0, wait_for_startup_backup)
    code = app.exec()
    workspace.dispose()
    if application.guard is not None:
        application.guard.release()
    return code


if __name__ == "__main__":
    sys.exit(main(str(Path(sys.argv[1]).resolve())))
