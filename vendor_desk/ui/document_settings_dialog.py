"""Document settings: what the vendor's slips and invoices say about the seller.

Empty store fields are filled from the marketplace's store profile at the first sync; the vendor
overrides them here, adds what the marketplace does not know (VAT and company ids, a logo, the
footers, a French seller's legal mentions), chooses the documents' language (whatever the
window's) and the local invoice numbering (used when the marketplace issued no number). Three
tabs keep it short enough for a small screen. A SIREN/SIRET or French VAT number with a wrong
check digit is refused with a message under the field (``documents.legal``). The dialog edits
a :class:`~vendor_desk.documents.DocumentSettings`; the caller saves it.
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.documents import DocumentSettings
from vendor_desk.documents.formatting import LOCALES
from vendor_desk.documents.legal import siret_problem, vat_problem
from vendor_desk.documents.numbering import format_invoice_number
from vendor_desk.ui.icons import app_icon
from vendor_desk.ui.tracking_dialog import field_error_label

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
#: The languages documents print in, each named in its own language.
DOCUMENT_LANGUAGES = (("en", "English"), ("fr", "Français"))


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
        self.vat_id.setPlaceholderText(self.tr("e.g. FR40303265045"))
        self.vat_error = field_error_label()
        self.siret = QLineEdit(settings.siret)
        self.siret.setPlaceholderText(self.tr("9 digits (SIREN) or 14 (SIRET)"))
        self.siret_error = field_error_label()
        self.company_id = QLineEdit(settings.company_id)
        self.vat_franchise = QCheckBox(self.tr("VAT franchise (art. 293 B du CGI)"))
        self.vat_franchise.setToolTip(
            self.tr("Invoices say “TVA non applicable, art. 293 B du CGI” and charge no VAT.")
        )
        self.vat_franchise.setChecked(settings.vat_franchise)
        self.late_payment = QPlainTextEdit(settings.late_payment_text)
        self.late_payment.setPlaceholderText(
            self.tr(
                "e.g. Pénalités de retard : trois fois le taux d'intérêt légal, exigibles le "
                "jour suivant la date de règlement."
            )
        )
        self.late_payment.setFixedHeight(54)
        self.recovery_fee = QCheckBox(self.tr("The fixed 40 € compensation for recovery costs"))
        self.recovery_fee.setChecked(settings.recovery_fee)
        business_hint = QLabel(
            self.tr(
                "Printed on invoices to business customers (a company in the billing address), "
                "as French law asks."
            )
        )
        business_hint.setObjectName("muted")
        business_hint.setWordWrap(True)
        self.logo = QLineEdit(settings.logo_path)
        self.logo.setPlaceholderText(self.tr("PNG or JPEG file"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(browse)
        self.logo_error = field_error_label()

        self.language_combo = QComboBox()
        self.language_combo.addItem(self.tr("Same as Vendor Desk"), "")
        for code, name in DOCUMENT_LANGUAGES:
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(settings.language), 0))
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

        seller = QFormLayout()
        seller.addRow(self.tr("Store name"), self.store_name)
        seller.addRow(self.tr("Address"), self.address)
        seller.addRow(self.tr("E-mail"), self.email)
        seller.addRow(self.tr("Phone"), self.phone)
        seller.addRow(self.tr("Website"), self.website)
        seller.addRow(self.tr("Logo"), logo_row)
        seller.addRow("", self.logo_error)
        seller.addRow(self.tr("Language of documents"), self.language_combo)
        seller.addRow(self.tr("Amounts and dates"), self.locale_combo)
        seller.addRow("", self.slip_prices)
        seller.addRow(self.tr("Slip footer"), self.slip_footer)

        legal = QFormLayout()
        legal.addRow(self.tr("SIREN / SIRET"), self.siret)
        legal.addRow("", self.siret_error)
        legal.addRow(self.tr("VAT ID"), self.vat_id)
        legal.addRow("", self.vat_error)
        legal.addRow(self.tr("Company no."), self.company_id)
        legal.addRow("", self.vat_franchise)
        legal.addRow(self.tr("Late-payment penalties"), self.late_payment)
        legal.addRow("", self.recovery_fee)
        legal.addRow("", business_hint)

        numbering = QFormLayout()
        numbering.addRow(self.tr("Invoice number prefix"), self.prefix)
        numbering.addRow(self.tr("Invoice number suffix"), self.suffix)
        numbering.addRow(self.tr("Digits"), self.padding)
        numbering.addRow("", self.numbering_example)
        numbering.addRow(self.tr("Invoice footer"), self.invoice_footer)

        self.tabs = QTabWidget()
        self._seller_tab = self._tab(seller)
        self._legal_tab = self._tab(legal)
        self.tabs.addTab(self._seller_tab, self.tr("Store and slips"))
        self.tabs.addTab(self._legal_tab, self.tr("Legal mentions"))
        self.tabs.addTab(self._tab(numbering), self.tr("Invoice numbers"))

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self._update_example()

    @staticmethod
    def _tab(form: QFormLayout) -> QWidget:
        page = QWidget()
        page.setLayout(form)
        return page

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
            siret=self.siret.text().strip(),
            vat_franchise=self.vat_franchise.isChecked(),
            late_payment_text=" ".join(self.late_payment.toPlainText().split()),
            recovery_fee=self.recovery_fee.isChecked(),
            logo_path=self.logo.text().strip(),
            language=str(self.language_combo.currentData()),
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
        """Save, unless a field holds a mistake: then it is said under the field (on its tab,
        brought forward) and nothing is lost."""
        checks = (
            (self.logo, self.logo_error, self._seller_tab, self.logo_problem()),
            (
                self.siret,
                self.siret_error,
                self._legal_tab,
                siret_problem(self.siret.text()),
            ),
            (
                self.vat_id,
                self.vat_error,
                self._legal_tab,
                vat_problem(self.vat_id.text(), self.siret.text()),
            ),
        )
        first = None
        for edit, label, tab, problem in checks:
            label.setText(problem)
            label.setVisible(bool(problem))
            if problem and first is None:
                first = (edit, tab)
        if first is not None:
            edit, tab = first
            self.tabs.setCurrentWidget(tab)
            edit.setFocus()
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
