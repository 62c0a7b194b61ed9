"""The single-instance socket: a real server and real local sockets. Only a
well-formed request of a known version is acted on and answered; a routine must
be one of the library; anything else is dropped unanswered."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from app.application.library import RoutineLibrary
from app.application.single_instance import (
    MAX_MESSAGE_BYTES,
    READ_MS,
    HandoverResult,
    InstanceRequest,
    InstanceServer,
    hand_over,
    instance_address,
    parse_request,
)
from app.application.undo import UndoHistory
from app.domain.plan import PlanSettings
from app.domain.routine import Side
from app.storage.routine_store import RoutineStore
from app.storage.settings import Settings

ROUTINE = "spinal-rotation-heel-sitting"
OK = {"v": 1, "ok": True}


class Served:
    """A listening server and what it passed on."""

    def __init__(self, server: InstanceServer) -> None:
        self.server = server
        self.raised = 0
        self.played: list[tuple[str, PlanSettings | None]] = []
        server.raise_requested.connect(self._raised)
        server.play_requested.connect(lambda r, s: self.played.append((r.id, s)))

    def _raised(self) -> None:
        self.raised += 1

    @property
    def acted(self) -> bool:
        return bool(self.raised or self.played)


@pytest.fixture
def served(qtbot: QtBot, tmp_path: Path) -> Iterator[Served]:
    routines = RoutineLibrary(
        RoutineStore(tmp_path / "routines"), Settings(tmp_path), UndoHistory()
    )
    routines.load()
    server = InstanceServer(routines, str(tmp_path / "limber.socket"))
    assert server.listen()
    yield Served(server)
    server.deleteLater()


def exchange(qtbot: QtBot, address: str, data: bytes) -> bytes:
    """Sends `data` as a second `limber` would, and returns all that comes back
    before the server ends the connection."""
    client = QLocalSocket()
    received = bytearray()
    client.readyRead.connect(lambda: received.extend(client.readAll().data()))
    client.connectToServer(address)
    client.write(data)
    qtbot.waitUntil(
        lambda: client.state() is QLocalSocket.LocalSocketState.UnconnectedState,
        timeout=READ_MS + 3000,
    )
    received.extend(client.readAll().data())
    return bytes(received)


def answer(raw: bytes) -> object:
    line, newline, rest = raw.partition(b"\n")
    assert newline and not rest, raw
    return json.loads(line)


def test_a_raise_and_a_play_are_answered_and_passed_on(qtbot: QtBot, served: Served) -> None:
    address = served.server.address
    assert answer(exchange(qtbot, address, InstanceRequest().encode())) == OK
    assert served.raised == 1 and served.played == []

    for weak_side, settings in [
        (None, None),  # the weaker side saved for the routine
        ("left", PlanSettings(weak_side=Side.LEFT)),
        ("none", PlanSettings(weak_side=None)),
    ]:
        request = InstanceRequest(ROUTINE, weak_side)
        assert answer(exchange(qtbot, address, request.encode())) == OK
        assert served.played[-1] == (ROUTINE, settings)
    # Sent in pieces, as a socket may deliver it.
    client = QLocalSocket()
    client.connectToServer(address)
    for piece in (b'{"v": 1, ', b'"raise": true}', b"\n"):
        client.write(piece)
        client.flush()
        qtbot.wait(20)
    qtbot.waitUntil(lambda: served.raised == 2)


def test_a_routine_not_in_the_library_is_refused(qtbot: QtBot, served: Served) -> None:
    for routine_id in ("no-such-routine", "../../../etc/passwd", "/dev/zero"):
        raw = exchange(qtbot, served.server.address, InstanceRequest(routine_id).encode())
        assert answer(raw) == {"v": 1, "ok": False}
    assert not served.acted


def test_a_routine_imported_since_the_library_was_read_is_played(
    qtbot: QtBot, served: Served, tmp_path: Path
) -> None:
    """`limber routines import` writes to the folder the open window read at its
    start: asked for a routine it does not list, it reads its library again."""
    from app.domain.routine import Exercise, Kind, Routine
    from app.storage.routine_store import RoutineStore

    RoutineStore(tmp_path / "routines").save(
        Routine("new-one", "New one", (Exercise("Hold", Kind.HOLD, seconds=10),))
    )
    raw = exchange(qtbot, served.server.address, InstanceRequest("new-one").encode())
    assert answer(raw) == OK
    assert served.played[-1][0] == "new-one"


@pytest.mark.parametrize(
    "data",
    [
        b"garbage\n",
        b"\xff\xfe\n",
        b"[1]\n",
        b"null\n",
        b'{"v": 2, "raise": true}\n',  # a version this Limber does not know
        b'{"v": true, "raise": true}\n',
        b'{"v": "1", "raise": true}\n',
        b'{"raise": true}\n',
        b'{"v": 1, "raise": false}\n',
        b'{"v": 1, "raise": true, "file": "/etc/passwd"}\n',  # an unknown key
        b'{"v": 1, "play": 5}\n',
        b'{"v": 1, "play": ""}\n',
        b'{"v": 1, "play": "spinal-rotation-heel-sitting", "weak_side": "up"}\n',
        b'{"v": 1, "play": "' + b"a" * 65 + b'"}\n',  # longer than any routine id
        b"[" * (MAX_MESSAGE_BYTES - 1) + b"\n",  # nested past Python's recursion limit
        b"{" + b" " * 5000,  # too long, and no end in sight
        InstanceRequest().encode()[:-1] + b" " * MAX_MESSAGE_BYTES + b"\n",  # too long
    ],
)
def test_anything_else_is_dropped_unanswered(qtbot: QtBot, served: Served, data: bytes) -> None:
    assert exchange(qtbot, served.server.address, data) == b""
    assert not served.acted
    # The server goes on answering.
    assert answer(exchange(qtbot, served.server.address, InstanceRequest().encode())) == OK


def test_a_connection_that_says_nothing_is_dropped(qtbot: QtBot, served: Served) -> None:
    assert exchange(qtbot, served.server.address, b"") == b""
    assert not served.acted


def test_a_socket_left_behind_is_replaced_and_one_in_use_is_not(
    qtbot: QtBot, served: Served, tmp_path: Path
) -> None:
    # Another Limber answers at the address: a second server stands back.
    routines = RoutineLibrary(
        RoutineStore(tmp_path / "routines"), Settings(tmp_path), UndoHistory()
    )
    assert not InstanceServer(routines, served.server.address).listen()
    # A crashed Limber's socket file answers no one: it is removed.
    stale_address = str(tmp_path / "stale.socket")
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(stale_address)
    stale.close()
    later = InstanceServer(routines, stale_address)
    assert later.listen()
    assert answer(exchange(qtbot, stale_address, InstanceRequest().encode())) == OK


def test_requests_round_trip_through_their_line() -> None:
    for request in (
        InstanceRequest(),
        InstanceRequest(ROUTINE),
        InstanceRequest(ROUTINE, "right"),
        InstanceRequest(ROUTINE, "none"),
    ):
        line = request.encode()
        assert line.endswith(b"\n") and len(line) <= MAX_MESSAGE_BYTES
        assert parse_request(line[:-1]) == request


def test_the_address_is_the_data_folders_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIMBER_DATA_DIR", str(tmp_path / "one"))
    one = instance_address()
    monkeypatch.setenv("LIMBER_DATA_DIR", str(tmp_path / "one" / ".." / "one"))
    assert instance_address() == one  # the same folder, however it is written
    monkeypatch.setenv("LIMBER_DATA_DIR", str(tmp_path / "two"))
    assert instance_address() != one


def test_with_no_limber_listening_nothing_is_handed_over(tmp_path: Path) -> None:
    nowhere = tmp_path / "nothing-here"
    assert hand_over(InstanceRequest(), str(nowhere)) is HandoverResult.NO_ONE
    nowhere.write_text("")  # a file, not a socket
    assert hand_over(InstanceRequest(), str(nowhere)) is HandoverResult.NO_ONE
    stale = str(tmp_path / "stale.socket")
    left = socket.socket(socket.AF_UNIX)
    left.bind(stale)
    left.close()
    assert hand_over(InstanceRequest(), stale) is HandoverResult.NO_ONE


# A socket that reads one request and sends the reply given ("" says nothing and
# waits for the client to give up). A process of its own: hand_over() waits in Qt
# holding Python's lock, so a thread of this one could not answer.
LISTENER = """
import os, socket, sys
server = socket.socket(socket.AF_UNIX)
server.bind(sys.argv[1])
server.listen(1)
print("listening", flush=True)
connection = server.accept()[0]
connection.recv(4096)
if sys.argv[2]:
    connection.sendall(sys.argv[2].encode())
else:
    connection.recv(1)
os.unlink(sys.argv[1])
"""


def listener(address: str, reply: bytes | None) -> subprocess.Popen[str]:
    """A process listening at `address`, which answers a request with `reply`."""
    process = subprocess.Popen(
        [sys.executable, "-c", LISTENER, address, (reply or b"").decode()],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "listening\n"
    return process


@pytest.mark.parametrize(
    ("reply", "result"),
    [
        (b'{"v": 1, "ok": true}\n', HandoverResult.DONE),
        (b'{"v": 1, "ok": false}\n', HandoverResult.REFUSED),
        (b'{"v": 9, "ok": true}\n', HandoverResult.SILENT),
        (b"what?\n", HandoverResult.SILENT),
        (None, HandoverResult.SILENT),
    ],
)
def test_the_answer_decides_how_the_handover_went(
    tmp_path: Path, reply: bytes | None, result: HandoverResult
) -> None:
    address = str(tmp_path / "limber.socket")
    with listener(address, reply) as process:
        assert hand_over(InstanceRequest(ROUTINE), address, timeout_ms=500) is result
        process.wait(5)
