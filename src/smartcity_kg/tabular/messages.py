"""The messages of a dataset that cannot be read - the template's problems by sheet, row and
column, and a file's read and parse errors - in Indonesian as well as English.

The messages are made in English where they arise (the reader, the importer, the loader);
`translate(text, "id")` words each line in Indonesian: the location ("stages, row 4,
end" -> "stages, baris 4, end") and the message by `PHRASES`, the English pattern of each
message and its Indonesian form. A parser's own detail (pyoxigraph's) is kept as it is,
after an Indonesian lead. A test translates every message the importer makes.
"""

import re

from smartcity_kg.report import LANGUAGES

# (English message, as a regular expression matched to the end of a line; Indonesian).
PHRASES: list[tuple[str, str]] = [
    (r"the file is empty", "berkas ini kosong"),
    (r"no such file or folder", "tidak ada berkas atau folder ini"),
    (
        r"holds no RDF files and no template CSV files",
        "tidak berisi berkas RDF maupun berkas CSV templat",
    ),
    (
        r"a CSV file is one sheet of a template; give the folder that holds all the sheets",
        "berkas CSV adalah satu lembar templat; berikan folder yang berisi semua lembarnya",
    ),
    (
        r"(?P<size>[\d.]+) MB is more than the (?P<most>\d+) MB a dataset may have; (?P<rest>.*)",
        "{size} MB melebihi {most} MB yang boleh dimiliki satu dataset; pecah datasetnya",
    ),
    (r"holds no RDF triples", "tidak berisi tripel RDF"),
    (
        r"the JSON-LD @context is a remote document, which is never fetched; put the context "
        r"inline",
        "@context JSON-LD berupa dokumen daring, yang tidak pernah diambil; tuliskan konteksnya "
        "di dalam berkas",
    ),
    (r"not an Excel workbook \(\.xlsx\)(?P<rest>.*)", "bukan buku kerja Excel (.xlsx){rest}"),
    (r"not a UTF-8 CSV file(?P<rest>.*)", "bukan berkas CSV UTF-8{rest}"),
    (r"cannot read: (?P<rest>.*)", "tidak dapat dibaca: {rest}"),
    (r"XML entity declarations are not accepted", "deklarasi entitas XML tidak diterima"),
    (
        r"give a filled \.xlsx template or a folder of template CSV files",
        "berikan templat .xlsx yang sudah diisi atau folder berkas CSV templat",
    ),
    (r"(?P<n>\d+) problems? in the template:", "{n} masalah dalam templat:"),
    (
        r"not a sheet of the template \(sheets: (?P<sheets>.*)\)",
        "bukan lembar templat (lembar: {sheets})",
    ),
    (
        r"the sheet needs exactly one row \(the municipality\), not (?P<n>\d+)",
        "lembar ini memerlukan tepat satu baris (kota/kabupatennya), bukan {n}",
    ),
    (
        r"not a column of this sheet \(columns: (?P<columns>.*)\)",
        "bukan kolom lembar ini (kolom: {columns})",
    ),
    (
        r"an earlier name of the column (?P<column>.+); keep one",
        "nama lama kolom {column}; pertahankan salah satu",
    ),
    (
        r"required: the official name, e\.g\. (?P<example>.+)",
        "wajib: nama resmi, mis. {example}",
    ),
    (r"required: the row's IRI is made from it", "wajib: IRI baris ini dibuat darinya"),
    (
        r"required: the year \(2017\) or date \(2017-03-01\); if the source gives none, choose "
        r"unknown in (?P<column>.+)",
        "wajib: tahun (2017) atau tanggal (2017-03-01); bila sumber tidak menyebutkannya, "
        "pilih unknown di {column}",
    ),
    (
        r"required when (?P<column>.+) is (?P<qualifier>.+): the year or date",
        "wajib bila {column} bernilai {qualifier}: tahun atau tanggalnya",
    ),
    (r"required with a locator: its source", "wajib bila ada locator: sumbernya"),
    (r"required for a (?P<kind>.+)", "wajib untuk {kind}"),
    (r"required", "wajib"),
    (
        r"does not apply to a (?P<kind>.+); leave it empty",
        "tidak berlaku untuk {kind}; kosongkan",
    ),
    (
        r"a skipped stage has no years; leave it empty",
        "tahap yang dilewati tidak memiliki tahun; kosongkan",
    ),
    (
        r"an ongoing stage has no end; leave it empty \(or set status to recorded\)",
        "tahap yang masih berlangsung tidak memiliki akhir; kosongkan (atau ubah status "
        "menjadi recorded)",
    ),
    (
        r"leave it empty when (?P<column>.+) is unknown",
        "kosongkan bila {column} bernilai unknown",
    ),
    (
        r"the same skipped stage as row (?P<row>\d+)",
        "tahap dilewati yang sama dengan baris {row}",
    ),
    (
        r"the same (?P<kind>.+) as row (?P<row>\d+) \((?P<iri>.+)\)",
        "{kind} yang sama dengan baris {row} ({iri})",
    ),
    (
        r"'(?P<text>.*)' names no row of this workbook and is not kind/slug or an IRI of "
        r"something in the graph",
        "'{text}' tidak menunjuk baris mana pun di buku kerja ini, dan bukan jenis/slug atau "
        "IRI sesuatu di graf",
    ),
    (r"'(?P<text>.*)' is not a valid IRI", "'{text}' bukan IRI yang sah"),
    (r"'(?P<text>.*)' is not one of: (?P<choices>.*)", "'{text}' bukan salah satu dari: {choices}"),
    (r"'(?P<text>.*)' is not true or false", "'{text}' bukan true atau false"),
    (
        r"'(?P<text>.*)' is not a whole number from 1",
        "'{text}' bukan bilangan bulat mulai 1",
    ),
    (r"'(?P<text>.*)' is not a whole number", "'{text}' bukan bilangan bulat"),
    (
        r"'(?P<text>.*)' is not a year or a date \(2017 or 2017-03-01\)",
        "'{text}' bukan tahun atau tanggal (2017 atau 2017-03-01)",
    ),
    (r"'(?P<text>.*)' is not a year", "'{text}' bukan tahun"),
]
_COMPILED = [(re.compile(english + "$"), indonesian) for english, indonesian in PHRASES]
_ROW = re.compile(r"^(?P<indent>\s*)(?P<sheet>[a-z_]+), row (?P<row>\d+)(?P<rest>(, |: ).*)$")
_LOCATED = re.compile(r"^(?P<where>.+?:\d+:\d+): (?P<detail>.*)$")
_PARSE_LEAD = "kesalahan sintaks RDF"


def translate(text: str, lang: str) -> str:
    """`text`, a read error's message (one or more lines), in `lang`."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    if lang == "en":
        return text
    return "\n".join(_line(line) for line in text.split("\n"))


def _line(line: str) -> str:
    row = _ROW.match(line)
    if row:
        line = f"{row['indent']}{row['sheet']}, baris {row['row']}{row['rest']}"
    for pattern, indonesian in _COMPILED:
        found = pattern.search(line)
        if found and _at_boundary(line, found.start()):
            words = {k: v or "" for k, v in found.groupdict().items()}
            return line[: found.start()] + indonesian.format(**words)
    located = _LOCATED.match(line)
    if located:
        return f"{located['where']}: {_PARSE_LEAD}: {located['detail']}"
    return line


def _at_boundary(line: str, start: int) -> bool:
    """Whether a message found at `start` is the whole message after a location (": ")."""
    return start == 0 or line[:start].endswith(": ") or line[:start].strip() == ""
