"""One Limber per user and data folder: a second `limber` hands what it was asked
to do to the one already open, over a local socket, and ends.

What crosses the socket is data, never a path: one line of JSON of at most
`MAX_MESSAGE_BYTES`, with a version and known keys only, such as
`{"v": 1, "raise": true}` (come to the front) or `{"v": 1, "play":
"spinal-rotation-heel-sitting", "weak_side": "left"}` (a routine id, looked up in
the open window's library; `weak_side` is "left", "right", "none", or null for the
one saved for the routine). The server answers `{"v": 1, "ok": true}` once it
has acted, `{"v": 1, "ok": false}` for a routine its library does not hold, and
drops anything else (too long, not JSON, an unknown key or version) unanswered.

QtNetwork is imported only when a socket is used (14 ms): a first `limber`, which
finds no socket, does not load it before its window is painted.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

    from app.application.library import RoutineLibrary
    from app.domain.plan import PlanSettings

PROTOCOL_VERSION = 1
# A play message with the longest routine id (64 characters) is about 90 bytes.
MAX_MESSAGE_BYTES = 1024
# How long a second `limber` waits for the socket, and for the open one to act:
# a connection on the same machine is made at once or not at all; acting waits
# for the open window's GUI thread, which may be busy for a moment.
CONNECT_MS = 500
ANSWER_MS = 5000
# A connection that has not sent its line by then is dropped.
READ_MS = 2000
WEAK_SIDES = ("left", "right", "none")


@dataclass(frozen=True)
class InstanceRequest:
    """What a second `limber` asks of the one open.

    Attributes:
        play: The id of the routine to load and start; None only brings the
            window to the front.
        weak_side: "left", "right" or "none" as given on the command line, or
            None for the weaker side saved for the routine.
    """

    play: str | None = None
    weak_side: str | None = None

    def encode(self) -> bytes:
        """The request as the line sent on the socket."""
        message: dict[str, object] = {"v": PROTOCOL_VERSION}
        if self.play is None:
            message["raise"] = True
        else:
            message["play"] = self.play
            message["weak_side"] = self.weak_side
        return json.dumps(message).encode("ascii") + b"\n"

    def plan_settings(self) -> PlanSettings | None:
        """The plan settings asked for, or None for the weaker side saved for the routine."""
        from app.domain.plan import PlanSettings  # not before the first `limber`'s window
        from app.domain.routine import Side

        if self.weak_side is None:
            return None
        return PlanSettings(weak_side=None if self.weak_side == "none" else Side(self.weak_side))


def parse_request(line: bytes) -> InstanceRequest | None:
    """The request a line holds, or None for anything that is not exactly one."""
    if len(line) > MAX_MESSAGE_BYTES:
        return None
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(message, dict) or not _is_version(message.get("v")):
        return None
    keys = set(message)
    if keys == {"v", "raise"} and message["raise"] is True:
        return InstanceRequest()
    play, weak_side = message.get("play"), message.get("weak_side")
    if (
        keys in ({"v", "play"}, {"v", "play", "weak_side"})
        and isinstance(play, str)
        and 0 < len(play) <= 64
        and (weak_side is None or weak_side in WEAK_SIDES)
    ):
        return InstanceRequest(play, weak_side)
    return None


def _is_version(value: object) -> bool:
    # bool is an int in Python: `true` is not version 1.
    return type(value) is int and value == PROTOCOL_VERSION


def instance_address() -> str:
    """The local socket of the Limber open for this user and data folder.

    On Linux and macOS a socket file in `$XDG_RUNTIME_DIR` (the user's own
    folder), else in the temp folder; on Windows a named pipe. Its name is a hash
    of the user and the data folder, so two data folders are two Limbers (and
    tests, each on a data folder of its own, never meet each other or yours).
    """
    from app.storage.paths import data_dir

    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    key = hashlib.sha256(f"{user}\0{data_dir().resolve()}".encode()).hexdigest()[:16]
    name = f"limber-{key}"
    if os.name == "nt":
        return name
    runtime = Path(os.environ.get("XDG_RUNTIME_DIR", ""))
    folder = runtime if runtime.is_absolute() and runtime.is_dir() else Path(tempfile.gettempdir())
    return str(folder / name)


class HandoverResult(Enum):
    """How handing a request to the Limber open went."""

    NO_ONE = "no Limber is open"
    DONE = "done"
    REFUSED = "its library has no such routine"
    SILENT = "it did not answer"


def hand_over(
    request: InstanceRequest, address: str, timeout_ms: int = ANSWER_MS
) -> HandoverResult:
    """Sends `request` to the Limber listening at `address` and waits for its answer.

    Returns at once with NO_ONE when no socket is there, or none of this user's,
    without loading QtNetwork; a socket left by a Limber that crashed refuses
    the connection, which is NO_ONE too.
    """
    if os.name != "nt" and not _own_socket(address):
        return HandoverResult.NO_ONE
    from PySide6.QtCore import QDeadlineTimer
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(address)
    if not socket.waitForConnected(CONNECT_MS):
        return HandoverResult.NO_ONE
    deadline = QDeadlineTimer(timeout_ms)
    socket.write(request.encode())
    socket.waitForBytesWritten(CONNECT_MS)
    answer = b""
    while b"\n" not in answer and len(answer) <= MAX_MESSAGE_BYTES:
        if not socket.waitForReadyRead(max(0, deadline.remainingTime())):
            answer += socket.readAll().data()
            break
        answer += socket.readAll().data()
    socket.abort()
    return _answer_of(answer.split(b"\n", 1)[0])


def _own_socket(address: str) -> bool:
    """Whether `address` is a socket file of this user's."""
    try:
        found = Path(address).stat()
    except OSError:
        return False
    return stat.S_ISSOCK(found.st_mode) and found.st_uid == os.getuid()


def _answer_of(line: bytes) -> HandoverResult:
    try:
        answer = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return HandoverResult.SILENT
    if not isinstance(answer, dict) or not _is_version(answer.get("v")):
        return HandoverResult.SILENT
    ok = answer.get("ok")
    if ok is True:
        return HandoverResult.DONE
    return HandoverResult.REFUSED if ok is False else HandoverResult.SILENT


def _answer(ok: bool) -> bytes:
    return json.dumps({"v": PROTOCOL_VERSION, "ok": ok}).encode("ascii") + b"\n"


class InstanceServer(QObject):
    """Listens at the instance address for a second `limber`'s requests.

    Each connection may send one line; a valid request is checked against the
    library (a routine must be one of it) and passed on by a signal, then
    answered; anything else is dropped. The socket is removed when the server
    goes (with its parent, the window).

    Args:
        routines: The library a routine to play is looked up in.
        address: Where to listen (`instance_address()`).
        parent: The owner.

    Signals:
        raise_requested(): the window is to come to the front.
        play_requested(Routine, object): this routine is to be played, with
            these PlanSettings (None: the weaker side saved for it).
    """

    raise_requested = Signal()
    play_requested = Signal(object, object)

    def __init__(
        self, routines: RoutineLibrary, address: str, parent: QObject | None = None
    ) -> None:
        from PySide6.QtNetwork import QLocalServer

        super().__init__(parent)
        self._routines = routines
        self.address = address
        self._server = QLocalServer(self)
        # The socket file or pipe is this user's alone.
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def listen(self) -> bool:
        """Starts listening; False when another Limber answers at the address
        already (one started at the same moment), or it cannot be used.

        A socket left by a Limber that crashed answers no one: it is removed.
        """
        from PySide6.QtNetwork import QLocalServer, QLocalSocket

        probe = QLocalSocket()
        probe.connectToServer(self.address)
        if probe.waitForConnected(CONNECT_MS):
            probe.abort()
            return False
        QLocalServer.removeServer(self.address)
        return self._server.listen(self.address)

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            self._serve(socket)

    def _serve(self, socket: QLocalSocket) -> None:
        received = bytearray()

        def read() -> None:
            received.extend(socket.readAll().data())
            line, newline, _ = bytes(received).partition(b"\n")
            if len(line) > MAX_MESSAGE_BYTES:
                _drop(socket)
            elif newline:
                socket.readyRead.disconnect(read)  # one line a connection
                answer = self._act(line)
                if answer is None:
                    _drop(socket)
                else:
                    socket.write(answer)
                    socket.disconnectFromServer()

        socket.readyRead.connect(read)
        socket.disconnected.connect(socket.deleteLater)
        QTimer.singleShot(READ_MS, socket, lambda: _drop(socket))
        if socket.bytesAvailable():
            read()

    def _act(self, line: bytes) -> bytes | None:
        """Carries out the request a line holds; the answer, or None to drop it."""
        request = parse_request(line)
        if request is None:
            return None
        if request.play is None:
            self.raise_requested.emit()
            return _answer(True)
        stored = self._routines.get(request.play)
        if stored is None:  # imported since the window opened (`limber routines import`)?
            self._routines.load()
            stored = self._routines.get(request.play)
        if stored is None:
            return _answer(False)
        self.play_requested.emit(stored.routine, request.plan_settings())
        return _answer(True)


def _drop(socket: QLocalSocket) -> None:
    socket.abort()
    socket.deleteLater()
