"""Document settings: what the vendor's slips and invoices say about the seller.

Empty store fields are filled from the marketplace's store profile at the first sync; the vendor
overrides them here, adds what the marketplace does not know (VAT and company ids, a logo, the
footers) and chooses the local invoice numbering (used when the marketplace issued no number).
The dialog edits a :class:`~vendor_desk.documents.DocumentSettings`; the caller saves it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.documents import DocumentSettings
from vendor_desk.documents.formatting import LOCALES
from vendor_desk.documents.numbering import format_invoice_number
from vendor_desk.ui.icons import app_icon
from vendor_desk.ui.tracking_dialog import field_error_label

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class DocumentSettingsDialog(QDialog):
    """Edit the document settings of one account; :meth:`settings` is the result."""

    def __init__(self, settings: DocumentSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Document settings"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(520)
        self._original = settings

        intro = QLabel(
            self.tr(
                "What your packing slips and invoices say about you. Fields left empty are "
                "filled from your store profile on the marketplace."
            )
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)

        self.store_name = QLineEdit(settings.store_name)
        self.address = QPlainTextEdit("\n".join(settings.address_lines))
        self.address.setPlaceholderText(self.tr("One line per address line"))
        self.address.setFixedHeight(72)
        self.email = QLineEdit(settings.email)
        self.phone = QLineEdit(settings.phone)
        self.website = QLineEdit(settings.website)
        self.vat_id = QLineEdit(settings.vat_id)
        self.vat_id.setPlaceholderText(self.tr("e.g. FR12345678901"))
        self.company_id = QLineEdit(settings.company_id)
        self.logo = QLineEdit(settings.logo_path)
        self.logo.setPlaceholderText(self.tr("PNG or JPEG file"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(browse)
        self.logo_error = field_error_label()

        self.locale_combo = QComboBox()
        self.locale_combo.addItem(self.tr("Same as Vendor Desk"), "")
        for name in sorted(LOCALES):
            self.locale_combo.addItem(name, name)
        index = self.locale_combo.findData(settings.locale)
        self.locale_combo.setCurrentIndex(max(index, 0))
        self.slip_prices = QCheckBox(self.tr("Show prices on packing slips"))
        self.slip_prices.setChecked(settings.slip_prices)

        self.prefix = QLineEdit(settings.invoice_prefix)
        self.suffix = QLineEdit(settings.invoice_suffix)
        self.padding = QSpinBox()
        self.padding.setRange(1, 12)
        self.padding.setValue(settings.invoice_padding)
        self.numbering_example = QLabel()
        self.numbering_example.setObjectName("muted")
        for edit in (self.prefix, self.suffix):
            edit.textChanged.connect(self._update_example)
        self.padding.valueChanged.connect(self._update_example)

        self.slip_footer = QLineEdit(settings.slip_footer)
        self.invoice_footer = QPlainTextEdit("\n".join(settings.invoice_footer))
        self.invoice_footer.setPlaceholderText(self.tr("Bank details, legal notes …"))
        self.invoice_footer.setFixedHeight(60)

        form = QFormLayout()
        form.addRow(self.tr("Store name"), self.store_name)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("E-mail"), self.email)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("Website"), self.website)
        form.addRow(self.tr("VAT ID"), self.vat_id)
        form.addRow(self.tr("Company no."), self.company_id)
        form.addRow(self.tr("Logo"), logo_row)
        form.addRow("", self.logo_error)
        form.addRow(self.tr("Amounts and dates"), self.locale_combo)
        form.addRow("", self.slip_prices)
        form.addRow(self.tr("Invoice number prefix"), self.prefix)
        form.addRow(self.tr("Invoice number suffix"), self.suffix)
        form.addRow(self.tr("Digits"), self.padding)
        form.addRow("", self.numbering_example)
        form.addRow(self.tr("Slip footer"), self.slip_footer)
        form.addRow(self.tr("Invoice footer"), self.invoice_footer)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._update_example()

    # ------------------------------------------------------------------ result
    def settings(self) -> DocumentSettings:
        return dataclasses.replace(
            self._original,
            store_name=self.store_name.text().strip(),
            address_lines=_lines(self.address.toPlainText()),
            email=self.email.text().strip(),
            phone=self.phone.text().strip(),
            website=self.website.text().strip(),
            vat_id=self.vat_id.text().strip(),
            company_id=self.company_id.text().strip(),
            logo_path=self.logo.text().strip(),
            locale=str(self.locale_combo.currentData()),
            slip_prices=self.slip_prices.isChecked(),
            invoice_prefix=self.prefix.text().strip(),
            invoice_suffix=self.suffix.text().strip(),
            invoice_padding=self.padding.value(),
            slip_footer=self.slip_footer.text().strip(),
            invoice_footer=_lines(self.invoice_footer.toPlainText()),
        )

    def logo_problem(self) -> str:
        """Why the logo cannot be used ("" when it can, or when there is none)."""
        text = self.logo.text().strip()
        if not text:
            return ""
        path = Path(text)
        if path.suffix.lower() not in LOGO_SUFFIXES:
            return self.tr("The logo must be a PNG or JPEG file.")
        if not path.is_file():
            return self.tr("There is no file at this place.")
        return ""

    def accept(self) -> None:
        problem = self.logo_problem()
        self.logo_error.setText(problem)
        self.logo_error.setVisible(bool(problem))
        if problem:
            self.logo.setFocus()
            return
        super().accept()

    # ------------------------------------------------------------------ internals
    @Slot()
    def _update_example(self) -> None:
        example = format_invoice_number(42, self.settings())
        self.numbering_example.setText(
            self.tr("Local invoice numbers look like {example}").format(example=example)
        )

    @Slot()
    def _choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a logo"), "", self.tr("Images (*.png *.jpg *.jpeg)")
        )
        if path:
            self.logo.setText(path)
