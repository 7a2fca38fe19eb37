"""Build the hostile-file corpus into a folder (tests call it with tmp_path; nothing committed).

    .venv/bin/python tests/data/make_hostile.py /tmp/hostile

Each builder writes one file an attacker, or an unlucky coordinator, could hand to the import:
a cell at XFD1048576, zip bombs of several shapes, archives whose declared sizes lie, a named
pipe, devices, a socket, a folder, a CSV mixing two encodings… Every file is small on disk
(the largest, a one-member bomb, is under 1 MB); what they claim or inflate to is what is big.
"""

from __future__ import annotations

import os
import random
import socket
import struct
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

MIB = 1024 * 1024
LISTS = Path(__file__).resolve().parent / "lists"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Prénom</t></is></c></row>'
)
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def sheet_xml(rows: str, dimension: str = "") -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{SHEET_HEAD}{declared}<sheetData>{rows}</sheetData></worksheet>"


def write_xlsx(
    path: Path,
    sheet: str | Iterable[bytes],
    shared: str | Iterable[bytes] | None = None,
    *,
    compression: int = zipfile.ZIP_DEFLATED,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A minimal workbook; ``sheet`` and ``shared`` may be streamed in pieces."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for member, content in (
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", shared),
        ):
            if content is None:
                continue
            if isinstance(content, str):
                info = zipfile.ZipInfo(member)
                info.compress_type = compression
                archive.writestr(info, content.encode("utf-8"))
                continue
            with archive.open(member, "w", force_zip64=True) as stream:
                for piece in content:
                    stream.write(piece)
        for member, data in (extra or {}).items():
            archive.writestr(member, data)
    return path


def _shared_strings(items: Iterable[bytes]) -> Iterable[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?>'
    yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    yield from items
    yield b"</sst>"


def _random_text(size: int, seed: int) -> bytes:
    letters = b"abcdefghijklmnopqrstuvwxyz "
    table = bytes(letters[value % len(letters)] for value in range(256))
    return random.Random(seed).randbytes(size).translate(table)


# -- sheets too large for their file -------------------------------------------------------


def far_cell(folder: Path) -> Path:
    """2 KB, one value at XFD1048576: calamine would ask for 512 GB and abort the process."""
    cell = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return write_xlsx(folder / "cellule-lointaine.xlsx", sheet_xml(HEADER_ROW + cell))


def declared_dimension(folder: Path) -> Path:
    """A sheet that declares it fills the whole grid."""
    return write_xlsx(
        folder / "dimension-declaree.xlsx", sheet_xml(HEADER_ROW, dimension="A1:XFD1048576")
    )


def wide_and_long(folder: Path) -> Path:
    """Within the rows and the columns, not within the cells: ALL50000 (1000 x 50 000)."""
    cell = '<row r="50000"><c r="ALL50000" t="inlineStr"><is><t>x</t></is></c></row>'
    return write_xlsx(folder / "large-et-long.xlsx", sheet_xml(HEADER_ROW + cell))


def unplaced_cell(folder: Path) -> Path:
    """A cell without reference after an empty one at XFC1: it lands on XFD1."""
    row = '<row r="2"><c r="XFC2" s="0"/><c t="inlineStr"><is><t>x</t></is></c></row>'
    return write_xlsx(folder / "cellule-sans-reference.xlsx", sheet_xml(HEADER_ROW + row))


def tab_before_reference(folder: Path) -> Path:
    """A tab, not a space, before the reference of a cell at XFD1048576 (valid XML)."""
    cell = '<row r="1048576"><c\tr="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return write_xlsx(folder / "tabulation.xlsx", sheet_xml(HEADER_ROW + cell))


def prefixed_far_cell(folder: Path) -> Path:
    """Prefixed element names (as the .NET SDK writes them) hiding a cell at XFD1048576."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><x:worksheet '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Nom</x:t></x:is></x:c></x:row>'
        '<x:row r="1048576"><x:c r="XFD1048576" t="inlineStr"><x:is><x:t>x</x:t></x:is>'
        "</x:c></x:row></x:sheetData></x:worksheet>"
    )
    return write_xlsx(folder / "prefixes.xlsx", sheet)


def ods_repeats(folder: Path) -> Path:
    """An OpenDocument cell holding a value, repeated over 16384 columns and 1048576 rows."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Feuille1">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Nom</text:p>'
        "</table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = folder / "repetitions.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE)
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" '
            f'manifest:media-type="{ODS_MIMETYPE}"/></manifest:manifest>',
        )
    return path


def far_cell_xls(folder: Path) -> Path:
    """The corpus's real .xls (7 KB) with its first text cell moved to IV65536: calamine
    would ask for 1.2 GB."""
    data = bytearray((LISTS / "organisme-stagiaire.xls").read_bytes())
    position = data.find(b"\xfd\x00\x0a\x00")  # a LABELSST record: row, column, style, index
    struct.pack_into("<HH", data, position + 4, 65535, 255)
    path = folder / "cellule-lointaine.xls"
    path.write_bytes(bytes(data))
    return path


# -- zip bombs -------------------------------------------------------------------------------


def _record(kind: int, payload: bytes = b"") -> bytes:
    """One BIFF12 record: its type and length in 7-bit groups, then the payload."""
    head = bytearray()
    for value, most in ((kind, 2), (len(payload), 4)):
        for _ in range(most):
            byte, value = value & 0x7F, value >> 7
            head.append(byte | (0x80 if value else 0))
            if not value:
                break
    return bytes(head) + payload


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def write_xlsb(
    path: Path,
    rows: dict[int, list[tuple[int, str | int | None]]],
    dimension: tuple[int, int] | None = None,
    shared: list[str] | None = None,
) -> Path:
    """A minimal .xlsb that calamine reads: ``rows`` maps a row (from 0) to its cells
    (column from 0; a text, the index of a shared string, or None for a blank styled cell);
    ``dimension`` (last row, last column) is declared by BrtWsDim, by default the cells'."""
    if dimension is None:
        dimension = (max(rows), max(column for cells in rows.values() for column, _ in cells))
    sheet = bytearray(_record(0x81))  # BrtBeginSheet
    sheet += _record(0x94, struct.pack("<IIII", 0, dimension[0], 0, dimension[1]))
    sheet += _record(0x91)  # BrtBeginSheetData
    for row in sorted(rows):
        sheet += _record(0x00, struct.pack("<IIHB", row, 0, 0, 0) + bytes(8))  # BrtRowHdr
        for column, value in rows[row]:
            if value is None:
                sheet += _record(0x01, struct.pack("<II", column, 0))  # BrtCellBlank
            elif isinstance(value, str):
                sheet += _record(0x06, struct.pack("<II", column, 0) + _wide(value))  # BrtCellSt
            else:
                sheet += _record(0x07, struct.pack("<III", column, 0, value))  # BrtCellIsst
    sheet += _record(0x92) + _record(0x82)
    book = (
        _record(0x83)
        + _record(0x8F)
        + _record(0x9C, struct.pack("<II", 0, 1) + _wide("rId1") + _wide("Feuil1"))
        + _record(0x90)
        + _record(0x84)
    )
    binary = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="bin" ContentType="{binary}"/>'
        f'<Override PartName="/xl/workbook.bin" ContentType="{binary}"/></Types>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", PACKAGE_RELS.replace("workbook.xml", "workbook.bin"))
        archive.writestr(
            "xl/_rels/workbook.bin.rels", WORKBOOK_RELS.replace("sheet1.xml", "sheet1.bin")
        )
        archive.writestr("xl/workbook.bin", book)
        archive.writestr("xl/worksheets/sheet1.bin", bytes(sheet))
        if shared is not None:
            strings = _record(0x9F, struct.pack("<II", len(shared), len(shared)))
            for text in shared:
                strings += _record(0x13, b"\x00" + _wide(text))  # BrtSSTItem
            archive.writestr("xl/sharedStrings.bin", strings + _record(0xA0))
    return path


def far_cell_xlsb(folder: Path) -> Path:
    """A binary workbook (1 KB) with one value at XFD1048576: calamine aborts the same way."""
    cells: dict[int, list[tuple[int, str | int | None]]] = {
        0: [(0, "Nom"), (1, "Prénom")],
        1_048_575: [(16_383, "x")],
    }
    return write_xlsb(folder / "cellule-lointaine.xlsb", cells, dimension=(1, 1))


def declared_dimension_xlsb(folder: Path) -> Path:
    """A binary sheet declaring (BrtWsDim) that it fills the whole grid."""
    cells: dict[int, list[tuple[int, str | int | None]]] = {0: [(0, "Nom"), (1, "Prénom")]}
    return write_xlsb(folder / "dimension.xlsb", cells, dimension=(1_048_575, 16_383))


def repeated_shared_string_xlsb(folder: Path) -> Path:
    """A 30 000-character shared string referred to by 25 000 cells: 1.5 GB of copied text."""
    cells: dict[int, list[tuple[int, str | int | None]]] = {0: [(0, "Nom"), (1, "Prénom")]}
    for row in range(1, 2_501):
        cells[row] = [(column, 0) for column in range(10)]
    text = _random_text(30_000, 7).decode("ascii")
    return write_xlsb(folder / "texte-repete.xlsb", cells, shared=[text])


def _padded_sheet(padding: int) -> Iterable[bytes]:
    """A valid sheet followed by ``padding`` bytes of spaces (XML allows them at the end)."""
    yield sheet_xml(HEADER_ROW).encode()
    block = b" " * MIB
    for _ in range(padding // MIB):
        yield block


def bomb_one_member(folder: Path) -> Path:
    """One sheet declared at 200 MB, 200 KB in the file."""
    return write_xlsx(folder / "bombe-un-element.xlsx", _padded_sheet(200 * MIB))


def bomb_ratio(folder: Path) -> Path:
    """Under the size limit (20 MB) but compressed a thousand times: a bomb's shape."""
    return write_xlsx(folder / "bombe-taux.xlsx", _padded_sheet(20 * MIB))


def bomb_many_members(folder: Path) -> Path:
    """5 000 members, each of 60 KB of spaces (300 MB in all, 1 MB in the file)."""
    path = write_xlsx(folder / "bombe-elements.xlsx", sheet_xml(HEADER_ROW))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        filler = b" " * (60 * 1024)
        for number in range(5_000):
            archive.writestr(f"xl/media/remplissage{number}.xml", filler)
    return path


def bomb_total(folder: Path) -> Path:
    """300 members of 1 MB each: every one within the limits, not their sum."""
    path = write_xlsx(folder / "bombe-total.xlsx", sheet_xml(HEADER_ROW))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        filler = b" " * MIB
        for number in range(300):
            archive.writestr(f"xl/media/image{number}.bin", filler)
    return path


def huge_shared_string(folder: Path) -> Path:
    """One shared string of 3 MB (random letters: it hardly compresses)."""
    item = b"<si><t>" + _random_text(3 * MIB, 1) + b"</t></si>"
    cells = HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return write_xlsx(folder / "texte-geant.xlsx", sheet_xml(cells), _shared_strings([item]))


def repeated_shared_string(folder: Path) -> Path:
    """A 600 KB shared string referred to by 2 000 cells: 1.2 GB of copied text."""
    item = b"<si><t>" + _random_text(600 * 1024, 2) + b"</t></si>"
    rows = "".join(
        f'<row r="{row}"><c r="A{row}" t="s"><v>0</v></c></row>' for row in range(2, 2002)
    )
    return write_xlsx(
        folder / "texte-repete.xlsx", sheet_xml(HEADER_ROW + rows), _shared_strings([item])
    )


def _patch_sizes(path: Path, member: str, declared: int) -> None:
    """Make the local header and the central directory declare ``declared`` bytes."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    encoded = member.encode()
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + name_length]) == encoded:
            struct.pack_into("<I", data, position + 24, declared)
            break
        position = data.find(b"PK\x01\x02", position + 4)
    path.write_bytes(bytes(data))


def size_lie_bomb(folder: Path) -> Path:
    """A sheet declaring 1 KB that inflates to 300 MB: only inflating it tells."""
    path = write_xlsx(folder / "taille-mensongere.xlsx", _padded_sheet(300 * MIB))
    _patch_sizes(path, "xl/worksheets/sheet1.xml", 1024)
    return path


def size_lie_small(folder: Path) -> Path:
    """A sheet declaring fewer bytes than it holds, by a little: a damaged archive."""
    path = write_xlsx(folder / "taille-fausse.xlsx", sheet_xml(HEADER_ROW))
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    _patch_sizes(path, "xl/worksheets/sheet1.xml", size - 10)
    return path


def overlapping_members(folder: Path) -> Path:
    """Two directory entries sharing one member's bytes (a « non-recursive » zip bomb)."""
    path = write_xlsx(folder / "elements-superposes.xlsx", sheet_xml(HEADER_ROW))
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    entries, size, offset = struct.unpack_from("<HII", data, end + 10)
    directory = bytes(data[offset : offset + size])
    first_length = 46 + sum(struct.unpack_from("<HHH", directory, 28))
    copy = bytearray(directory[:first_length])
    name_length = struct.unpack_from("<H", copy, 28)[0]
    copy[46 : 46 + name_length] = b"x" * name_length  # same bytes, another name
    directory += bytes(copy)
    record = bytearray(data[end:])
    struct.pack_into("<HHII", record, 8, entries + 1, entries + 1, len(directory), offset)
    path.write_bytes(bytes(data[:offset]) + directory + bytes(record))
    return path


def duplicate_members(folder: Path) -> Path:
    """The sheet twice under the same name: readers disagree on which one counts."""
    path = write_xlsx(folder / "elements-en-double.xlsx", sheet_xml(HEADER_ROW))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("xl/worksheets/sheet1.xml", sheet_xml(HEADER_ROW))
    return path


def bzip2_member(folder: Path) -> Path:
    """A sheet compressed with bzip2, which no spreadsheet writes."""
    return write_xlsx(
        folder / "compression-bzip2.xlsx", sheet_xml(HEADER_ROW), compression=zipfile.ZIP_BZIP2
    )


def too_many_entries_claimed(folder: Path) -> Path:
    """An end record claiming 1 000 000 members."""
    path = write_xlsx(folder / "annuaire-gonfle.xlsx", sheet_xml(HEADER_ROW))
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 0xFFFF, 0xFFFF)
    path.write_bytes(bytes(data))
    return path


def truncated_zip(folder: Path) -> Path:
    path = write_xlsx(folder / "archive-tronquee.xlsx", sheet_xml(HEADER_ROW))
    path.write_bytes(path.read_bytes()[:700])
    return path


# -- not files, or not what they say ---------------------------------------------------------


def named_pipe(folder: Path) -> Path:
    path = folder / "tube.csv"
    os.mkfifo(path)
    return path


def unix_socket(folder: Path) -> Path:
    path = folder / "prise.xlsx"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))  # stays on disk after the socket is closed
    server.close()
    return path


def directory(folder: Path) -> Path:
    path = folder / "dossier.xlsx"
    path.mkdir()
    return path


def link_to_zero(folder: Path) -> Path:
    """An innocent name pointing at /dev/zero."""
    path = folder / "liste.xlsx"
    path.symlink_to("/dev/zero")
    return path


def empty_file(folder: Path) -> Path:
    path = folder / "vide.csv"
    path.write_bytes(b"")
    return path


def not_a_workbook(folder: Path) -> Path:
    """An .xlsx by name, random bytes by content."""
    path = folder / "faux-classeur.xlsx"
    path.write_bytes(random.Random(3).randbytes(4096))
    return path


def mixed_encoding_csv(folder: Path) -> Path:
    """UTF-8 lines, then lines from Windows-1252 (a list pasted together from two files)."""
    path = folder / "encodages-melanges.csv"
    utf8 = "Nom;Prénom;Établissement\nMÜLLER;Hélène;Foyer Saint-Éloi\n".encode()
    legacy = "DURAND;Loïc;Résidence Hôtel-Dieu\nPETIT;Zoé;Maison d'accueil\n".encode("cp1252")
    path.write_bytes(utf8 + legacy)
    return path


def wide_csv(folder: Path) -> Path:
    """One line of 3 000 000 empty fields (3 MB)."""
    path = folder / "csv-large.csv"
    path.write_bytes(b"Nom;Pr\xc3\xa9nom\n" + b";" * 3_000_000 + b"\n")
    return path


Builder = Callable[[Path], Path]
BUILDERS: tuple[Builder, ...] = (
    far_cell,
    declared_dimension,
    wide_and_long,
    unplaced_cell,
    tab_before_reference,
    prefixed_far_cell,
    ods_repeats,
    far_cell_xls,
    far_cell_xlsb,
    declared_dimension_xlsb,
    repeated_shared_string_xlsb,
    bomb_one_member,
    bomb_ratio,
    bomb_many_members,
    bomb_total,
    huge_shared_string,
    repeated_shared_string,
    size_lie_bomb,
    size_lie_small,
    overlapping_members,
    duplicate_members,
    bzip2_member,
    too_many_entries_claimed,
    truncated_zip,
    named_pipe,
    unix_socket,
    directory,
    link_to_zero,
    empty_file,
    not_a_workbook,
    mixed_encoding_csv,
    wide_csv,
)


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else "hostile")
    folder.mkdir(parents=True, exist_ok=True)
    for build in BUILDERS:
        print(build(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
