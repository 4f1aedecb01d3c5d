"""Reaching the window that already has a workspace open: it listens on a local socket
(named after the database file) and comes to the front when a second KOL Desk asks."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

ACTIVATE = b"activate\n"


def server_name(database: Path) -> str:
    digest = hashlib.sha1(str(database.resolve()).encode("utf-8")).hexdigest()[:20]
    return f"kol-desk-{digest}"


class InstanceServer(QObject):
    """Listens while this process holds the workspace lock; ``activate_requested`` fires
    when another KOL Desk asks this window to come to the front."""

    activate_requested = Signal()

    def __init__(self, database: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        name = server_name(database)
        # We hold the OS lock, so a socket file left by a killed holder is stale.
        QLocalServer.removeServer(name)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self.listening = self._server.listen(name)

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(ACTIVATE.strip()):
            self.activate_requested.emit()

    def close(self) -> None:
        self._server.close()


def ask_to_activate(database: Path, timeout_ms: int = 1000) -> bool:
    """Ask the window holding ``database`` to come to the front; False if unreachable."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(database))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(ACTIVATE)
    sent = socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return sent
