"""Opening a shop's CSV export: encoding, delimiter, header, numbered rows.

Files come from Shopify, WooCommerce or a spreadsheet: UTF-8 with or
without a byte-order mark (Excel writes one), `,` or `;` (French Excel
writes `;`, since its decimal separator is the comma) or a tab. The
delimiter is the one under which the header names the most known columns,
which a header line always settles, unlike guessing from data rows.
Header names are forgiven case and spacing ("Order Number" is
`order_number`); unknown columns are reported, not refused, since exports
carry many.

Rows are numbered as a spreadsheet shows them: the header is line 1 and a
blank line still counts, so that "line 14" is row 14 on screen.
The whole file is read once before anything is imported: a file that is
not UTF-8 or is not CSV is refused before the store is touched.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from crm.errors import InvalidInput

BOM = "\ufeff"
DELIMITERS = (",", ";", "\t")
ERROR_COLUMNS = ("error_line", "error_reason")
"""Columns `write_rejected` adds in front: ignored when the fixed file is
imported again."""


@dataclass(frozen=True)
class CsvRow:
    """One data row: its spreadsheet line and its cells by column name.

    `extra` counts the non-empty cells past the header's last column: a row
    with more values than columns is refused, as its cells may be shifted.
    """

    line: int
    values: Mapping[str, str]
    extra: int = 0


@dataclass(frozen=True)
class CsvSource:
    """A readable CSV file whose header has every column an import needs."""

    path: Path
    delimiter: str
    has_bom: bool
    header: tuple[str, ...]
    columns: tuple[str, ...]
    ignored: tuple[str, ...]
    total_rows: int

    def rows(self) -> Iterator[CsvRow]:
        """The data rows in file order, blank ones skipped (but counted)."""
        width = len(self.columns)
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            next(reader, None)
            for line, cells in enumerate(reader, start=2):
                if not any(cell.strip() for cell in cells):
                    continue
                extra = sum(1 for cell in cells[width:] if cell.strip())
                yield CsvRow(
                    line=line,
                    values=dict(zip(self.columns, cells, strict=False)),
                    extra=extra,
                )


def column_name(raw: str) -> str:
    """`order_number` from "Order Number", " order-number " or "ORDER_NUMBER"."""
    return re.sub(r"[\s\-]+", "_", raw.strip().strip(BOM).strip().lower())


def open_csv(
    path: Path, *, required: Collection[str], optional: Collection[str]
) -> CsvSource:
    """Check the file's encoding, delimiter and header, and count its rows.

    Raises:
        InvalidInput: the file is missing, empty, not UTF-8, not CSV, or its
            header lacks a required column (the message lists them).
    """
    known = set(required) | set(optional)
    try:
        with path.open("rb") as raw_handle:
            has_bom = raw_handle.read(3) == BOM.encode()
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput(_NOT_UTF8.format(line=_bad_line(path))) from None
    if not first.strip():
        raise InvalidInput("the file is empty: its first line must name the columns")
    delimiter, header = _header(first, known)
    columns = tuple(column_name(name) for name in header)
    twice = sorted({name for name in columns if columns.count(name) > 1 and name})
    if twice:
        raise InvalidInput(f"the header names {', '.join(twice)} more than once")
    missing = [name for name in sorted(required) if name not in columns]
    if missing:
        raise InvalidInput(
            f"the header lacks the column(s) {', '.join(missing)} "
            f'(delimiter "{_shown(delimiter)}"; it has: {", ".join(columns)})'
        )
    ignored = tuple(
        name for name in columns if name and name not in known | set(ERROR_COLUMNS)
    )
    return CsvSource(
        path=path,
        delimiter=delimiter,
        has_bom=has_bom,
        header=tuple(header),
        columns=columns,
        ignored=ignored,
        total_rows=_count_rows(path, delimiter),
    )


_NOT_UTF8 = (
    "the file is not UTF-8 text (line {line}): save it as "
    '"CSV UTF-8" from the spreadsheet, or re-encode it'
)


def _header(first: str, known: set[str]) -> tuple[str, list[str]]:
    best: tuple[int, int, str, list[str]] | None = None
    for delimiter in DELIMITERS:
        header = next(csv.reader([first], delimiter=delimiter), [])
        score = sum(1 for name in header if column_name(name) in known)
        candidate = (score, len(header), delimiter, header)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    assert best is not None
    score, _width, delimiter, header = best
    if score == 0:
        raise InvalidInput(
            "the first line names none of the expected columns "
            f"({', '.join(sorted(known))}): is it the header?"
        )
    return delimiter, header


def _count_rows(path: Path, delimiter: str) -> int:
    count = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    count += 1
        except UnicodeDecodeError:
            raise InvalidInput(_NOT_UTF8.format(line=_bad_line(path))) from None
        except csv.Error as exc:
            raise InvalidInput(
                f"line {reader.line_num}: not readable as CSV ({exc})"
            ) from None
    return max(count - 1, 0)


def _bad_line(path: Path) -> int:
    """The first line that is not UTF-8 (the decoder reads ahead: ask it per line)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


def write_rejected(
    source: CsvSource, destination: Path, reasons: Mapping[int, str]
) -> int:
    """Copy the rejected rows to `destination`, each with its line and reason.

    The copy keeps the source's delimiter, byte-order mark and column names,
    with `error_line` and `error_reason` in front: it opens as the source
    did, and once fixed it can be imported as it is (those two columns are
    ignored). Returns the number of rows written.
    """
    written = 0
    encoding = "utf-8-sig" if source.has_bom else "utf-8"
    with (
        source.path.open(encoding="utf-8-sig", newline="") as handle,
        destination.open("w", encoding=encoding, newline="") as out,
    ):
        reader = csv.reader(handle, delimiter=source.delimiter)
        writer = csv.writer(out, delimiter=source.delimiter)
        next(reader, None)
        kept = [i for i, name in enumerate(source.columns) if name not in ERROR_COLUMNS]
        writer.writerow([*ERROR_COLUMNS, *(source.header[i] for i in kept)])
        for line, cells in enumerate(reader, start=2):
            reason = reasons.get(line)
            if reason is None:
                continue
            width = len(source.columns)
            padded = cells + [""] * (width - len(cells))
            extra = cells[width:]
            writer.writerow([line, reason, *(padded[i] for i in kept), *extra])
            written += 1
    return written
