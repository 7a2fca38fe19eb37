"""« Durées de conservation (RGPD) »: one spin box per retention rule, for « Paramètres »."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QSpinBox, QWidget

from allervers_desktop.privacy.rules import PREFIX, SPECS, RetentionRules


class RetentionFields(QGroupBox):
    """The rules in force, editable; ``rules()`` reads them back."""

    def __init__(self, rules: RetentionRules, parent: QWidget) -> None:
        super().__init__("Durées de conservation des données personnelles (RGPD)", parent)
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout(self)
        note = QLabel(
            "Valeurs par défaut prudentes, à faire confirmer par votre délégué à la protection "
            "des données (DPO). « Fichier › Données personnelles (RGPD)… » les applique.",
            self,
        )
        note.setWordWrap(True)
        form.addRow(note)
        for name, spec in SPECS.items():
            spin = QSpinBox(self)
            spin.setObjectName(PREFIX + name)
            spin.setRange(spec.minimum, spec.maximum)
            spin.setSuffix(f" {spec.unit}")
            spin.setValue(getattr(rules, name))
            spin.setToolTip(spec.help)
            self.spins[name] = spin
            form.addRow(spec.label, spin)

    def rules(self) -> RetentionRules:
        return RetentionRules(**{name: spin.value() for name, spin in self.spins.items()})
