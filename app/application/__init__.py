"""The use cases: what a person can do with Limber, as objects the window's actions
call and its views listen to. Qt-light: signals, timers and the undo stack of
QtCore and QtGui, never a widget; the CLI and the terminal player need none of it."""
