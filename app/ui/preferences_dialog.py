"""Preferences (Ctrl+, and Edit > Preferences): every setting a person would want
to change, in one dialog, written to the settings file the CLI reads too.

Each control writes its setting as it changes; the window follows the settings
(volume, mute, voice, the plans' numbers, the theme), so a change applies at
once. Restore defaults puts every preference back; the weaker sides chosen per
routine and the window's place are kept.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSlider,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.desktop_entry import DesktopEntryError, autostarts, set_autostart
from app.domain.plan import CueKind
from app.domain.reminders import Reminder, days_text, parse_days
from app.domain.spoken import PHRASE_LABELS, Phrase
from app.storage import settings as limits
from app.storage.settings import Settings
from app.ui.widgets.plain_text import PlainLabel

# The engines as the person reads them, with the setting's value.
ENGINES = (
    ("Automatic", "auto"),
    ("espeak-ng (Linux)", "espeak-ng"),
    ("say (macOS)", "say"),
    ("Windows voice (SAPI)", "sapi"),
    ("piper (a voice model file)", "piper"),
)
THEMES = (("As the system has it", "system"), ("Light", "light"), ("Dark", "dark"))
# What a tempo of None is shown as: reps without a tempo wait for the person.
PACED_DEFAULT = 3.0


class PreferencesDialog(QDialog):
    """One dialog for every preference; changes apply at once.

    Args:
        settings: The settings it shows and writes.
        voices: The voices of an engine (by its setting's value), for the voice
            list; asked when the engine changes.
        parent: The window.
    """

    def __init__(
        self,
        settings: Settings,
        voices: Callable[[str], list[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self._settings = settings
        self._voices = voices
        self._filling = False
        self.tabs = QTabWidget()
        self.tabs.setUsesScrollButtons(
            False
        )  # every tab's name in sight: the dialog is wide enough
        self.tabs.addTab(self._sound_page(), "Sound")
        self.tabs.addTab(self._voice_page(), "Voice")
        self.tabs.addTab(self._routine_page(), "Routines")
        self.tabs.addTab(self._history_page(), "History")
        self.tabs.addTab(self._reminders_page(), "Reminders")
        self.tabs.addTab(self._look_page(), "Appearance")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = buttons.addButton(
            "Restore defaults", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.restore_button.clicked.connect(self.restore_defaults)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.fill()

    # Pages --------------------------------------------------------------------------

    def _sound_page(self) -> QWidget:
        page, form = _form_page()
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(limits.VOLUME.low, limits.VOLUME.high)
        self.volume.valueChanged.connect(lambda v: self._write("volume", v))
        form.addRow("Volume", self.volume)
        self.muted = QCheckBox("Mute every cue")
        self.muted.toggled.connect(lambda on: self._write("muted", on))
        form.addRow(self.muted)
        self.count_ticks = QCheckBox("Tick the last three seconds (3, 2, 1)")
        self.rep_ticks = QCheckBox("Tick each paced rep")
        for box in (self.count_ticks, self.rep_ticks):
            box.toggled.connect(self._write_chimes)
            form.addRow(box)
        return page

    def _voice_page(self) -> QWidget:
        page, form = _form_page()
        self.voice = QCheckBox("Speak the cues")
        self.voice.toggled.connect(lambda on: self._write("voice", on))
        form.addRow(self.voice)
        self.engine = QComboBox()
        for label, value in ENGINES:
            self.engine.addItem(label, value)
        self.engine.currentIndexChanged.connect(self._engine_chosen)
        form.addRow("Engine", self.engine)
        self.voice_name = QComboBox()
        self.voice_name.setEditable(True)
        self.voice_name.setMinimumContentsLength(22)
        editor = self.voice_name.lineEdit()
        if editor is not None:
            editor.setPlaceholderText("the engine's default voice")
        self.voice_name.currentTextChanged.connect(
            lambda text: self._write("speech_voice", text.strip())
        )
        form.addRow("Voice", self.voice_name)
        self.rate = QSpinBox()
        self.rate.setRange(limits.SPEECH_RATE.low, limits.SPEECH_RATE.high)
        self.rate.setSuffix(" words a minute")
        self.rate.valueChanged.connect(lambda v: self._write("speech_rate", v))
        form.addRow("Pace", self.rate)
        self.piper_model = QLineEdit()
        self.piper_model.setPlaceholderText("a piper voice model (.onnx)")
        self.piper_model.editingFinished.connect(
            lambda: self._write("piper_model", self.piper_model.text().strip())
        )
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose_model)
        row = QHBoxLayout()
        row.addWidget(self.piper_model, 1)
        row.addWidget(choose)
        form.addRow("Voice model", row)
        self.phrases: dict[Phrase, QCheckBox] = {}
        for phrase, label in PHRASE_LABELS.items():
            box = QCheckBox(label)
            box.toggled.connect(self._write_phrases)
            self.phrases[phrase] = box
            form.addRow(box)
        return page

    def _routine_page(self) -> QWidget:
        page, form = _form_page()
        self.get_ready = QSpinBox()
        self.get_ready.setRange(limits.GET_READY_SECONDS.low, limits.GET_READY_SECONDS.high)
        self.get_ready.setSuffix(" s")
        self.get_ready.valueChanged.connect(lambda v: self._write("get_ready_seconds", v))
        form.addRow("Get ready for", self.get_ready)
        self.paced = QCheckBox("Pace reps that have no tempo, at")
        self.tempo = QDoubleSpinBox()
        self.tempo.setRange(*limits.TEMPO_SECONDS)
        self.tempo.setDecimals(1)
        self.tempo.setSingleStep(0.5)
        self.tempo.setSuffix(" s a rep")
        self.paced.toggled.connect(self._write_tempo)
        self.tempo.valueChanged.connect(self._write_tempo)
        row = QHBoxLayout()
        row.addWidget(self.paced)
        row.addWidget(self.tempo)
        row.addStretch(1)
        form.addRow(row)
        self.bonus_reps = QSpinBox()
        self.bonus_reps.setRange(limits.WEAK_BONUS_REPS.low, limits.WEAK_BONUS_REPS.high)
        self.bonus_reps.setPrefix("+")
        self.bonus_reps.setSuffix(" reps (where a routine gives no range)")
        self.bonus_reps.valueChanged.connect(lambda v: self._write("weak_bonus_reps", v))
        form.addRow("Weaker side", self.bonus_reps)
        self.bonus_hold = QSpinBox()
        self.bonus_hold.setRange(
            limits.WEAK_BONUS_HOLD_PERCENT.low, limits.WEAK_BONUS_HOLD_PERCENT.high
        )
        self.bonus_hold.setPrefix("+")
        self.bonus_hold.setSuffix(" % on holds and timed work")
        self.bonus_hold.valueChanged.connect(lambda v: self._write("weak_bonus_hold_percent", v))
        form.addRow("", self.bonus_hold)
        return page

    def _history_page(self) -> QWidget:
        page, form = _form_page()
        self.weekly_goal = QSpinBox()
        self.weekly_goal.setRange(limits.WEEKLY_GOAL.low, limits.WEEKLY_GOAL.high)
        self.weekly_goal.setSuffix(" warm-ups a week")
        self.weekly_goal.valueChanged.connect(lambda v: self._write("weekly_goal", v))
        form.addRow("Goal", self.weekly_goal)
        self.rest_days = QSpinBox()
        self.rest_days.setRange(limits.REST_DAYS.low, limits.REST_DAYS.high)
        self.rest_days.setSuffix(" a week keep a streak")
        self.rest_days.valueChanged.connect(lambda v: self._write("rest_days", v))
        form.addRow("Days off", self.rest_days)
        return page

    def _reminders_page(self) -> QWidget:
        page, form = _form_page()
        self.reminders = QListWidget()
        form.addRow(self.reminders)
        self.days = QLineEdit()
        self.days.setPlaceholderText("daily, weekdays, or mon,wed,fri")
        self.days.setMinimumWidth(
            self.days.fontMetrics().horizontalAdvance("daily, weekdays, or mon,wed,fri") + 16
        )
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        add = QPushButton("Add")
        add.clicked.connect(self.add_reminder)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_reminder)
        row = QHBoxLayout()
        row.addWidget(self.days, 1)
        row.addWidget(self.time)
        row.addWidget(add)
        row.addWidget(self.remove_button)
        form.addRow(row)
        self.reminder_problem = PlainLabel("")
        form.addRow(self.reminder_problem)
        self.autostart = QCheckBox("Start Limber at login, in the background (for the reminders)")
        self.autostart.toggled.connect(self._set_autostart)
        form.addRow(self.autostart)
        return page

    def add_reminder(self) -> None:
        """Adds the reminder the days and time say (for the suggested routine)."""
        try:
            days = parse_days(self.days.text())
        except ValueError as exc:
            self.reminder_problem.setText(str(exc))
            return
        time = self.time.time()
        reminders = [*self._settings.reminders, Reminder(days, time.hour(), time.minute())]
        try:
            self._settings.reminders = reminders
        except ValueError as exc:
            self.reminder_problem.setText(str(exc))
            return
        self.reminder_problem.setText("")
        self._list_reminders()

    def remove_reminder(self) -> None:
        """Removes the reminder chosen in the list."""
        row = self.reminders.currentRow()
        reminders = self._settings.reminders
        if 0 <= row < len(reminders):
            del reminders[row]
            self._settings.reminders = reminders
            self._list_reminders()

    def _list_reminders(self) -> None:
        self.reminders.clear()
        for reminder in self._settings.reminders:
            routine = reminder.routine_id or "the suggested routine"
            self.reminders.addItem(f"{days_text(reminder.days)}  {reminder.time_text}  {routine}")
        self.remove_button.setEnabled(self.reminders.count() > 0)

    def _set_autostart(self, on: bool) -> None:
        if self._filling:
            return
        try:
            set_autostart(on)
        except DesktopEntryError as exc:
            self.reminder_problem.setText(str(exc))
            self.autostart.blockSignals(True)
            self.autostart.setChecked(autostarts())
            self.autostart.blockSignals(False)

    def _look_page(self) -> QWidget:
        page, form = _form_page()
        self.theme = QComboBox()
        for label, value in THEMES:
            self.theme.addItem(label, value)
        self.theme.currentIndexChanged.connect(
            lambda: self._write("theme", self.theme.currentData())
        )
        form.addRow("Colours", self.theme)
        return page

    # Showing and writing ------------------------------------------------------------

    def fill(self) -> None:
        """Shows the settings as they are (without writing them back)."""
        settings = self._settings
        self._filling = True
        try:
            self.volume.setValue(settings.volume)
            self.muted.setChecked(settings.muted)
            self.count_ticks.setChecked(CueKind.COUNT not in settings.silent_chimes)
            self.rep_ticks.setChecked(CueKind.REP not in settings.silent_chimes)
            self.voice.setChecked(settings.voice)
            self.engine.setCurrentIndex(max(0, self.engine.findData(settings.speech_engine)))
            self._list_voices()
            self.voice_name.setCurrentText(settings.speech_voice)
            self.rate.setValue(settings.speech_rate)
            self.piper_model.setText(settings.piper_model)
            for phrase, box in self.phrases.items():
                box.setChecked(phrase in settings.phrases)
            self.get_ready.setValue(settings.get_ready_seconds)
            tempo = settings.default_tempo
            self.paced.setChecked(tempo is not None)
            self.tempo.setValue(tempo if tempo is not None else PACED_DEFAULT)
            self.tempo.setEnabled(tempo is not None)
            self.bonus_reps.setValue(settings.weak_bonus_reps)
            self.bonus_hold.setValue(settings.weak_bonus_hold_percent)
            self.weekly_goal.setValue(settings.weekly_goal)
            self.rest_days.setValue(settings.rest_days)
            self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
            self._list_reminders()
            self.autostart.setChecked(autostarts())
        finally:
            self._filling = False

    def restore_defaults(self) -> None:
        """Every preference back to its default, shown at once."""
        self._settings.restore_defaults()
        self.fill()

    def _write(self, name: str, value: object) -> None:
        if not self._filling:
            setattr(self._settings, name, value)

    def _write_chimes(self) -> None:
        silent = {
            kind
            for kind, box in ((CueKind.COUNT, self.count_ticks), (CueKind.REP, self.rep_ticks))
            if not box.isChecked()
        }
        self._write("silent_chimes", frozenset(silent))

    def _write_phrases(self) -> None:
        chosen = frozenset(phrase for phrase, box in self.phrases.items() if box.isChecked())
        self._write("phrases", chosen)

    def _write_tempo(self) -> None:
        self.tempo.setEnabled(self.paced.isChecked())
        self._write("default_tempo", self.tempo.value() if self.paced.isChecked() else None)

    def _engine_chosen(self) -> None:
        self._write("speech_engine", self.engine.currentData())
        if not self._filling:
            self._list_voices()

    def _list_voices(self) -> None:
        current = self.voice_name.currentText()
        filling, self._filling = self._filling, True
        try:
            self.voice_name.clear()
            self.voice_name.addItems(self._voices(str(self.engine.currentData())))
            self.voice_name.setCurrentText(current)
        finally:
            self._filling = filling

    def _choose_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a piper voice model", "", "piper voice models (*.onnx)"
        )
        if path:
            self.piper_model.setText(path)
            self._write("piper_model", path)


def _form_page() -> tuple[QWidget, QFormLayout]:
    page = QWidget()
    form = QFormLayout(page)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    return page, form
