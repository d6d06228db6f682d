"""Read back the Code 128 barcode drawn in a PDF, in pure Python.

reportlab draws each bar as a filled rectangle (`re`) of the same height;
their x positions and widths give the bar and space widths in modules,
which are looked up in the Code 128 symbol table (taken from reportlab,
whose letters A-D are bars and a-d spaces of 1-4 modules). The check symbol
is verified with the standard weighted sum, so a bar drawn wrong, missing or
merged fails the read.
"""

from __future__ import annotations

from collections import Counter
from io import BytesIO

from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.graphics.barcode.code128 import _patterns

START_A, START_B, START_C, STOP = 103, 104, 105, 106
# "Code X" symbols switch sets; the same values mean FNC4 in their own set.
_SWITCH = {
    "A": {100: "B", 99: "C"},
    "B": {101: "A", 99: "C"},
    "C": {100: "B", 101: "A"},
}


def _widths(pattern: str) -> str:
    return "".join(str(ord(letter.lower()) - ord("a") + 1) for letter in pattern)


_SYMBOLS = {_widths(p): value for value, p in _patterns.items() if value != STOP}
_STOP = _widths(_patterns[STOP])


def bar_rectangles(pdf: bytes) -> list[tuple[float, float]]:
    """(x, width) of the bars of the first page's barcode, left to right.

    The bars are the largest group of rectangles sharing one y and height.
    """
    reader = PdfReader(BytesIO(pdf))
    page = reader.pages[0]
    stream = ContentStream(page.get_contents(), reader)
    rects = [
        tuple(round(float(v), 3) for v in operands)
        for operands, operator in stream.operations
        if operator == b"re"
    ]
    groups = Counter((y, h) for _x, y, _w, h in rects)
    if not groups:
        return []
    (y0, h0), _count = groups.most_common(1)[0]
    return sorted((x, w) for x, y, w, h in rects if (y, h) == (y0, h0))


def read_code128(pdf: bytes) -> str:
    """The text encoded by the barcode on the first page of `pdf`.

    Raises:
        ValueError: no barcode, an unknown symbol, or a wrong check symbol.
    """
    bars = bar_rectangles(pdf)
    if len(bars) < 10:
        raise ValueError("no barcode on the page")
    module = min(width for _x, width in bars)
    elements: list[int] = []
    for (x, width), following in zip(bars, [*bars[1:], None], strict=True):
        elements.append(round(width / module))
        if following is not None:
            elements.append(round((following[0] - x - width) / module))
    text = "".join(str(e) for e in elements)
    if not text.endswith(_STOP) or (len(text) - len(_STOP)) % 6:
        raise ValueError(f"no stop symbol at the end: {text}")
    chunks = [text[i : i + 6] for i in range(0, len(text) - len(_STOP), 6)]
    try:
        values = [_SYMBOLS[chunk] for chunk in chunks]
    except KeyError as exc:
        raise ValueError(f"not a Code 128 symbol: {exc}") from exc
    start, *data, check = values
    if (start + sum(i * v for i, v in enumerate(data, start=1))) % 103 != check:
        raise ValueError("wrong check symbol")
    return _decode(start, data)


def _decode(start: int, data: list[int]) -> str:
    """Values to text, following the switches between code sets A, B and C."""
    current = {START_A: "A", START_B: "B", START_C: "C"}.get(start)
    if current is None:
        raise ValueError(f"not a start symbol: {start}")
    out = []
    for value in data:
        if value in _SWITCH[current]:
            current = _SWITCH[current][value]
        elif current == "C" and value < 100:
            out.append(f"{value:02d}")
        elif current == "B" and value < 96:
            out.append(chr(value + 32))
        elif current == "A" and value < 96:
            out.append(chr(value + 32) if value < 64 else chr(value - 64))
        else:
            raise ValueError(f"symbol {value} not supported in set {current}")
    return "".join(out)
