"""Watches a Qt process from inside for tests/bench/perceived.py: its first painted frame.

perceived.py puts this folder on PYTHONPATH, so Python loads this module at
start-up, in `limber` and in the bare PySide6 window alike. Without importing
PySide6 itself (each process imports it when it needs it), it waits for
PySide6.QtWidgets to be imported and wraps QApplication's constructor and
QWidget.show, so that the first window shown is watched before its first event.

The first frame: on X11 a widget window is painted when its QWindow gets an
Expose (or, later, an UpdateRequest). QWidgetWindow handles it by painting the
dirty widgets (QEvent.Paint to each, the window first) and then flushing the
backing store to the window, all before its event() returns. An event filter on
the window shown first and on its QWindow delivers those two events itself, and
the first delivery in which the window got a Paint ends with the frame on the
screen: "painted <seconds>" is printed then.

Only that window and its QWindow are filtered, not the application: every event
an application filter sees is made a Python object, which makes PySide6 create
the Python classes it loads lazily (all of QWidget's subclasses for the first
QWidget, all of QEvent's for the first event). That cost each process 40-45 ms
more before its first frame (the windows mapped later, seen from outside), more
than the frame it measured in the bare window: an earlier version of this probe
did so, and flattered Limber's ratio (1.73x, against 2.0x).

Seconds count from LIMBER_PROBE_T0, the parent's time.monotonic() just before it
started the process (CLOCK_MONOTONIC, which every process shares).

Environment:
    LIMBER_PROBE_T0: the parent's monotonic time at the start (required).
    LIMBER_PROBE_QUIT_PAINTED: "1" quits the application once the frame is painted.
    LIMBER_PROBE_COMMANDS: "1" reads commands from standard input, one a line:
        state           prints "probe-state {json}": the window id, and for
                        Limber, the player's state and whether the logged
                        sessions are shown
        threads         prints "probe-threads {json}": Python's threads by native id
        paints start    counts the Paint events each widget gets from now on
        paints stop     prints "probe-paints {json}": the seconds counted and,
                        by widget class (and object name), the Paint events
                        and the sum of the share of the widget each repainted
        close           closes every window (Limber's File > Quit)
"""

from __future__ import annotations

import os
import sys
import time

T0 = float(os.environ["LIMBER_PROBE_T0"])
QUIT_PAINTED = os.environ.get("LIMBER_PROBE_QUIT_PAINTED") == "1"
COMMANDS = os.environ.get("LIMBER_PROBE_COMMANDS") == "1"
WATCHED_MODULE = "PySide6.QtWidgets"


def _say(*words: object) -> None:
    print(*words, flush=True)


class _PatchOnImport:
    """A meta path finder that hands over the real spec of PySide6.QtWidgets with
    its loader wrapped, so that QApplication is patched as the module is made."""

    def find_spec(self, name: str, path: object, target: object = None) -> object:
        if name != WATCHED_MODULE:
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find else None
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_patch(module: object) -> None:
            del loader.exec_module  # the loader's own again
            exec_module(module)
            _patch(module)

        loader.exec_module = exec_and_patch
        return spec


def _patch(qt_widgets: object) -> None:
    application = qt_widgets.QApplication
    construct = application.__init__

    def construct_and_watch(self: object, *args: object, **kwargs: object) -> None:
        construct(self, *args, **kwargs)
        _watch(self, qt_widgets.QWidget)

    application.__init__ = construct_and_watch


def _watch(app: object, widget: type) -> None:
    from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer

    made = time.perf_counter()
    paint, expose, update = QEvent.Type.Paint, QEvent.Type.Expose, QEvent.Type.UpdateRequest
    delivered_here = (expose, update)

    class Probe(QObject):
        """The first frame, seen by an event filter on the window shown first, and the
        paints of every widget while they are counted (an application event filter)."""

        def __init__(self) -> None:
            super().__init__()
            self.first_paint: float | None = None
            self.painted: float | None = None
            self.depth = 0
            self.painting = False
            self.counting: dict[str, tuple[int, float]] | None = None
            self.counting_since = 0.0
            # The probe's own time before the frame: the enum made above, and the
            # filter's own work on every event (less the deliveries it makes).
            self.overhead = time.perf_counter() - made
            self.window: QObject | None = None
            self.sessions_shown = False

        def watch_window(self, window: QObject) -> None:
            """Watches the first window shown: its QWindow's Expose and UpdateRequest
            (in which Qt paints and flushes it) and the window's own Paint (the
            first widget a frame paints)."""
            if self.window is not None:
                return
            entered = time.perf_counter()
            self.window = window
            window.installEventFilter(self)
            handle = window.windowHandle()
            if handle is not None:
                handle.installEventFilter(self)
            self.watch_sessions(window)
            self.overhead += time.perf_counter() - entered

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            entered = time.perf_counter()
            kind = event.type()
            if kind == paint and watched.isWidgetType():
                if self.counting is not None:
                    key = type(watched).__name__
                    if watched.objectName():
                        key += f"#{watched.objectName()}"
                    size = watched.size()
                    area = sum(rect.width() * rect.height() for rect in event.region())
                    share = area / max(1, size.width() * size.height())
                    count, shares = self.counting.get(key, (0, 0.0))
                    self.counting[key] = (count + 1, shares + share)
                if self.painted is None:
                    if self.first_paint is None:
                        self.first_paint = time.monotonic() - T0
                        if self.depth == 0:  # not painted inside a delivery of ours
                            QTimer.singleShot(0, self.frame_done)
                    self.painting = True
            elif kind in delivered_here and self.painted is None:
                self.overhead += time.perf_counter() - entered
                self.depth += 1
                try:
                    watched.event(event)
                finally:
                    self.depth -= 1
                entered = time.perf_counter()
                if self.depth == 0 and self.painting:
                    self.frame_done()
                self.overhead += time.perf_counter() - entered
                return True
            if self.painted is None:
                self.overhead += time.perf_counter() - entered
            return False

        def frame_done(self) -> None:
            if self.painted is not None:
                return
            self.painted = time.monotonic() - T0
            _say(f"painted {self.painted:.6f}")
            _say(f"probe-first-paint {self.first_paint:.6f} overhead {self.overhead:.6f}")
            window = self.window
            if window is not None:  # nothing to watch until paints are counted
                window.removeEventFilter(self)
                handle = window.windowHandle()
                if handle is not None:
                    handle.removeEventFilter(self)
            if QUIT_PAINTED:
                app.quit()

        def watch_sessions(self, window: QObject) -> None:
            """Notes Limber's logged sessions shown (`window.sessions.reset`),
            connected as the window is shown, long before the log is read."""
            sessions = getattr(window, "sessions", None)
            signal = getattr(sessions, "reset", None)
            if signal is not None:
                signal.connect(lambda: setattr(self, "sessions_shown", True))

    probe = Probe()
    app._limber_probe = probe  # kept alive with the application
    show = widget.show

    def show_and_watch(self: object) -> None:
        show(self)
        if self.isWindow():
            probe.watch_window(self)

    widget.show = show_and_watch  # windows are shown after the application is made
    if COMMANDS:
        notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read, probe)
        pending = bytearray()

        def readable() -> None:
            chunk = os.read(sys.stdin.fileno(), 4096)
            if not chunk:
                notifier.setEnabled(False)
                return
            pending.extend(chunk)
            while b"\n" in pending:
                line, _, rest = bytes(pending).partition(b"\n")
                pending[:] = rest
                _command(app, probe, line.decode().strip())

        notifier.activated.connect(readable)


def _command(app: object, probe: object, command: str) -> None:
    import json
    import threading

    if command == "state":
        state: dict[str, object] = {"window": None, "player": None}
        state["sessions_shown"] = probe.sessions_shown
        for widget in app.topLevelWidgets():
            if widget.isVisible():
                state["window"] = int(widget.winId())
                controller = getattr(widget, "controller", None)
                player = getattr(controller, "player", None)
                state["player"] = player.state.name if player is not None else None
                break
        _say("probe-state", json.dumps(state))
    elif command == "threads":
        names = {thread.native_id: thread.name for thread in threading.enumerate()}
        _say("probe-threads", json.dumps(names))
    elif command == "paints start":
        probe.counting, probe.counting_since = {}, time.monotonic()
        app.installEventFilter(probe)
    elif command == "paints stop":
        app.removeEventFilter(probe)
        seconds = time.monotonic() - probe.counting_since
        _say("probe-paints", json.dumps({"seconds": seconds, "counts": probe.counting}))
        probe.counting = None
    elif command == "close":
        app.closeAllWindows()
    else:
        _say("probe-error", json.dumps(command))


sys.meta_path.insert(0, _PatchOnImport())
