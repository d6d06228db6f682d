"""The return label PDF: a 6 x 4 in shipping label and a packing slip on one A4.

The top of the page is the label the customer cuts out and sticks on the
parcel: sender, recipient (the shop's return address), the RMA number big
enough to read across a depot, and a Code 128 barcode of it that a scanner
at the warehouse reads. The bottom is the packing slip that goes inside:
the items, the reason, and what to do, in the customer's language
(`bot.messages`). What is printed is decided in `crm` (`label_for`); this
module only draws it.
"""

from __future__ import annotations

import unicodedata
from io import BytesIO

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import inch, mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bot.messages import format_date, format_money, message
from crm.returns.models import Resolution
from crm.returns.schemas import PostalAddress, ReturnLabel

__all__ = ["render_label"]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
LABEL_WIDTH, LABEL_HEIGHT = 6 * inch, 4 * inch  # the usual thermal-label size
BAR_WIDTH = 0.4 * mm  # narrow bar: wide enough for a phone camera, fits 6 in
BAR_HEIGHT = 16 * mm
GREY = Color(0.35, 0.35, 0.35)

# The country line of a parcel crossing a border, in French (accepted by every
# postal service, UPU convention); other codes are printed as they are.
COUNTRY_NAMES = {
    "FR": "FRANCE",
    "BE": "BELGIQUE",
    "CH": "SUISSE",
    "LU": "LUXEMBOURG",
    "MC": "MONACO",
    "DE": "ALLEMAGNE",
    "ES": "ESPAGNE",
    "IT": "ITALIE",
    "NL": "PAYS-BAS",
    "GB": "ROYAUME-UNI",
}

REGULAR, BOLD = "Helvetica", "Helvetica-Bold"
# The standard PDF fonts know Windows-1252 only; other letters are
# transliterated (Łódź -> Lodz) rather than printed as black boxes.
_FONT_ENCODING = "cp1252"
_NO_DECOMPOSITION = str.maketrans(
    {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "\u0131": "i"}
)


def render_label(label: ReturnLabel) -> bytes:
    """Draw `label` as a one-page A4 PDF and return its bytes.

    The output depends on `label` alone (no creation date inside), so the
    same return always gives the same file.
    """
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=1)
    canvas.setTitle(f"{message('label_title', label.language)} {label.rma_number}")
    canvas.setAuthor(label.recipient.name)
    canvas.setSubject(label.rma_number)
    top = PAGE_HEIGHT - MARGIN
    _draw_label(canvas, label, left=(PAGE_WIDTH - LABEL_WIDTH) / 2, top=top)
    cut = top - LABEL_HEIGHT - 8 * mm
    _draw_cut_line(canvas, label, cut)
    _draw_slip(canvas, label, top=cut - 10 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def printable(text: str) -> str:
    """`text` in letters the label's fonts have (Windows-1252), others simplified.

    Accents outside the font are dropped ("ź" -> "z") rather than printed as
    black boxes: the carrier still reads the name and the town.
    """
    try:
        text.encode(_FONT_ENCODING)
    except UnicodeEncodeError:
        pass
    else:
        return text
    out = []
    for char in text.translate(_NO_DECOMPOSITION):
        try:
            char.encode(_FONT_ENCODING)
        except UnicodeEncodeError:
            base = "".join(
                c
                for c in unicodedata.normalize("NFKD", char)
                if not unicodedata.combining(c)
            )
            char = base if base.isascii() and base else "?"
        out.append(char)
    return "".join(out)


# -- the label stuck on the parcel ---------------------------------------------


def _draw_label(canvas: Canvas, label: ReturnLabel, *, left: float, top: float) -> None:
    """The 6 x 4 in label: header, sender and RMA, recipient, barcode."""
    lang = label.language
    bottom = top - LABEL_HEIGHT
    pad = 4 * mm
    canvas.setLineWidth(1.2)
    canvas.rect(left, bottom, LABEL_WIDTH, LABEL_HEIGHT)

    # Header: what this is, and whether postage is paid by the shop.
    y = top - pad - 10
    _text(canvas, left + pad, y, message("label_title", lang).upper(), BOLD, 12)
    fee = (
        message("label_free", lang)
        if label.free_label
        else message("label_paid", lang, fee=_money(label))
    )
    _text(canvas, left + LABEL_WIDTH - pad, y, fee, BOLD, 10, align="right")
    y -= 6
    canvas.setLineWidth(0.8)
    canvas.line(left, y, left + LABEL_WIDTH, y)

    # Sender on the left, the RMA number big on the right.
    row_top = y - pad
    middle = left + LABEL_WIDTH * 0.52
    _address(
        canvas,
        label.sender,
        message("label_from", lang),
        left + pad,
        row_top,
        8.5,
        width=middle - left - 2 * pad,
    )
    column = left + LABEL_WIDTH - pad - middle
    _text(canvas, middle, row_top - 7, message("label_rma", lang), REGULAR, 7, GREY)
    _text(canvas, middle, row_top - 28, label.rma_number, BOLD, 20, max_width=column)
    order = message("label_order", lang, order_number=label.order_number)
    _text(canvas, middle, row_top - 42, order, REGULAR, 9, max_width=column)

    # Recipient: the block the carrier reads, largest on the label.
    y = row_top - 66
    canvas.line(left, y, left + LABEL_WIDTH, y)
    _address(
        canvas,
        label.recipient,
        message("label_to", lang),
        left + pad,
        y - pad,
        12,
        width=LABEL_WIDTH - 2 * pad,
        bold=True,
        show_country=label.sender.country != label.recipient.country,
    )

    # Barcode of the RMA number, centred at the bottom of the label.
    barcode = Code128(
        label.rma_number,
        barWidth=BAR_WIDTH,
        barHeight=BAR_HEIGHT,
        humanReadable=False,
        quiet=True,
    )
    width, _height = barcode.wrap(LABEL_WIDTH, LABEL_HEIGHT)
    barcode.drawOn(canvas, left + (LABEL_WIDTH - width) / 2, bottom + pad + 9)
    _text(
        canvas,
        left + LABEL_WIDTH / 2,
        bottom + pad,
        label.rma_number,
        REGULAR,
        8,
        align="center",
    )


def _address(
    canvas: Canvas,
    address: PostalAddress,
    heading: str,
    x: float,
    top: float,
    size: float,
    *,
    width: float,
    bold: bool = False,
    show_country: bool = False,
) -> float:
    """An address block under a small grey heading; returns the y below it.

    The town is in capitals, as La Poste asks (norme NF Z 10-011); the
    country only when the parcel crosses a border.
    """
    leading = size * 1.25
    y = top - 7
    _text(canvas, x, y, heading, REGULAR, 7, GREY)
    lines = [address.name, *address.lines, f"{address.postcode} {address.city.upper()}"]
    if show_country:
        lines.append(COUNTRY_NAMES.get(address.country, address.country))
    for index, line in enumerate(lines):
        y -= leading
        font = BOLD if bold or index == 0 else REGULAR
        _text(canvas, x, y, line, font, size, max_width=width)
    return y


# -- the packing slip ----------------------------------------------------------


def _draw_cut_line(canvas: Canvas, label: ReturnLabel, y: float) -> None:
    canvas.saveState()
    canvas.setDash(4, 3)
    canvas.setLineWidth(0.6)
    canvas.setStrokeColor(GREY)
    canvas.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    canvas.restoreState()
    hint = message("label_cut_here", label.language)
    _text(canvas, PAGE_WIDTH / 2, y + 4, hint, REGULAR, 7, GREY, align="center")


def _draw_slip(canvas: Canvas, label: ReturnLabel, *, top: float) -> None:
    """What goes inside the parcel: RMA, dates, reason, items, the steps."""
    lang = label.language
    width = PAGE_WIDTH - 2 * MARGIN
    y = top
    _text(canvas, MARGIN, y, message("slip_title", lang), BOLD, 13)
    y -= 24
    _text(canvas, MARGIN, y, label.rma_number, BOLD, 18)
    order = message("label_order", lang, order_number=label.order_number)
    _text(canvas, PAGE_WIDTH - MARGIN, y, order, REGULAR, 11, align="right")
    y -= 18
    reason = message(f"reason_{label.reason.value}", lang)
    facts = (
        message("slip_opened", lang, day=format_date(label.created_on, lang)),
        message("slip_send_by", lang, day=format_date(label.send_by, lang)),
        message("slip_reason", lang, reason=reason),
        _fee_sentence(label),
    )
    for fact in facts:
        y = _paragraph(canvas, fact, MARGIN, y, width, 10)

    y -= 24
    _text(canvas, MARGIN, y, message("slip_items", lang), BOLD, 11)
    y -= 4
    for item in label.items:
        line = message(
            "slip_item", lang, quantity=item.quantity, name=item.name, sku=item.sku
        )
        y = _paragraph(canvas, line, MARGIN + 4 * mm, y, width - 4 * mm, 10)

    y -= 24
    _text(canvas, MARGIN, y, message("slip_steps", lang), BOLD, 11)
    y -= 4
    for number, step in enumerate(_steps(label), start=1):
        y = _paragraph(canvas, f"{number}. {step}", MARGIN, y, width, 10)


def _steps(label: ReturnLabel) -> tuple[str, ...]:
    lang = label.language
    last = (
        "slip_step_exchange"
        if label.resolution is Resolution.EXCHANGE
        else "slip_step_refund"
    )
    return (
        message("slip_step_print", lang),
        message("slip_step_pack", lang),
        message("slip_step_stick", lang),
        message("slip_step_drop", lang, day=format_date(label.send_by, lang)),
        message(last, lang, rma_number=label.rma_number),
    )


def _fee_sentence(label: ReturnLabel) -> str:
    if label.free_label:
        return message("slip_fee_free", label.language)
    key = (
        "slip_fee_exchange"
        if label.resolution is Resolution.EXCHANGE
        else "slip_fee_refund"
    )
    return message(key, label.language, fee=_money(label))


def _money(label: ReturnLabel) -> str:
    return format_money(label.label_fee, label.language, label.currency)


# -- drawing text ----------------------------------------------------------------


def _text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    color: Color = black,
    *,
    align: str = "left",
    max_width: float | None = None,
) -> None:
    """One line of text; shrunk to `max_width` rather than run into a neighbour."""
    text = printable(text)
    if max_width is not None:
        natural = stringWidth(text, font, size)
        if natural > max_width:
            size = size * max_width / natural
    canvas.setFont(font, size)
    canvas.setFillColor(color)
    if align == "right":
        canvas.drawRightString(x, y, text)
    elif align == "center":
        canvas.drawCentredString(x, y, text)
    else:
        canvas.drawString(x, y, text)
    canvas.setFillColor(black)


def _paragraph(
    canvas: Canvas, text: str, x: float, top: float, width: float, size: float
) -> float:
    """`text` wrapped to `width` below `top`; returns the y of its last line.

    A slip too long for the page (a return of many items) goes on to a new
    page rather than off the bottom edge.
    """
    leading = size * 1.35
    y = top
    for line in simpleSplit(printable(text), REGULAR, size, width):
        y -= leading
        if y < MARGIN:
            canvas.showPage()
            y = PAGE_HEIGHT - MARGIN - leading
        _text(canvas, x, y, line, REGULAR, size)
    return y
