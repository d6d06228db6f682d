from datetime import date
from decimal import Decimal
from io import BytesIO

from pypdf import PdfReader

from bot.labels import printable, render_label
from crm.customers.models import Language
from crm.returns.models import Resolution, ReturnReason
from crm.returns.schemas import LabelItem, PostalAddress, ReturnLabel
from tests.bot.barcodes import read_code128

SHOP = PostalAddress(
    name="Boutique éco - Service retours",
    lines=("Entrepôt B",),
    postcode="45770",
    city="Saran",
    country="FR",
)


def _label(**changes: object) -> ReturnLabel:
    label = ReturnLabel(
        rma_number="RMA-2026-000042",
        order_number="104233",
        language=Language.EN,
        created_on=date(2026, 6, 10),
        send_by=date(2026, 6, 24),
        sender=PostalAddress(
            name="Jo Bloggs",
            lines=("3 Baker Street", "Flat 2"),
            postcode="75011",
            city="Paris",
            country="FR",
        ),
        recipient=SHOP,
        items=(LabelItem(sku="KIT-001", name="Beeswax wrap", quantity=2),),
        reason=ReturnReason.CHANGED_MIND,
        resolution=Resolution.REFUND,
        free_label=False,
        label_fee=Decimal("5.90"),
        currency="EUR",
    )
    return label.model_copy(update=changes)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def test_label_is_one_a4_page_with_addresses_rma_and_barcode() -> None:
    pdf = render_label(_label())

    reader = PdfReader(BytesIO(pdf))
    box = reader.pages[0].mediabox
    text = _pages(pdf)[0]
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert len(reader.pages) == 1
    for expected in ("RMA-2026-000042", "Jo Bloggs", "75011 PARIS", "45770 SARAN"):
        assert expected in text
    assert "Label fee: €5.90" in text
    assert "2 \u00d7 Beeswax wrap (ref. KIT-001)" in text.replace("\u00a0", " ")
    assert "Drop the parcel at a post office or a relay point by 24 June 2026" in text
    assert read_code128(pdf) == "RMA-2026-000042"


def test_same_label_gives_the_same_file() -> None:
    assert render_label(_label()) == render_label(_label())


def test_free_exchange_says_so_and_promises_the_item_again() -> None:
    text = _pages(
        render_label(
            _label(
                free_label=True,
                label_fee=Decimal("0.00"),
                reason=ReturnReason.DAMAGED,
                resolution=Resolution.EXCHANGE,
            )
        )
    )[0]

    assert "Free return" in text
    assert "Reason: damaged item" in text
    assert "We send you the item again" in text
    assert "refund" not in text.lower()


def test_country_is_printed_only_across_a_border() -> None:
    belgian = _label(
        sender=PostalAddress(
            name="An Peeters",
            lines=("Rue Haute 1",),
            postcode="1000",
            city="Bruxelles",
            country="BE",
        )
    )

    assert "45770 SARAN\nFRANCE" in _pages(render_label(belgian))[0]
    assert "FRANCE" not in _pages(render_label(_label()))[0]


def test_letters_outside_the_font_are_simplified_not_blacked_out() -> None:
    assert printable("Łukasz Woźniak, Zürich") == "Lukasz Wozniak, Zürich"
    assert printable("Camille Œuvray-Dupré") == "Camille Œuvray-Dupré"
    assert printable("東京") == "??"

    polish = _label(
        sender=PostalAddress(
            name="Łukasz Woźniak",
            lines=("ul. Długa 5",),
            postcode="80-831",
            city="Gdańsk",
            country="PL",
        )
    )
    text = _pages(render_label(polish))[0]
    assert "Lukasz Wozniak" in text
    assert "80-831 GDANSK" in text


def test_many_items_go_on_to_a_second_page() -> None:
    items = tuple(
        LabelItem(sku=f"SKU-{n:03d}", name=f"Item number {n}", quantity=1)
        for n in range(60)
    )

    pages = _pages(render_label(_label(items=items)))

    assert len(pages) == 2
    text = "".join(pages)
    assert all(f"(ref. SKU-{n:03d})" in text for n in range(60))
    assert "RMA-2026-000042" in pages[0]
