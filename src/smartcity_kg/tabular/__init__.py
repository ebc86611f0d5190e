"""Spreadsheet templates for a new city's data, generated from the shapes, and their import.

One sheet per kind of thing (`SHEETS`). A sheet's columns are the named property shapes
(`sh:name`, `sh:order`, `sh:description`) of the shapes that target its classes (or their
superclasses in the ontology): the path says where a value goes, `sh:in` gives the
drop-down list, `sh:datatype` how to read a cell, `sh:class` that the cell names another
row (or something already in the graph), `sh:minCount` with severity Violation that it is
required, and `sh:languageIn` with several languages makes one column per language
(`label_en`, `label_id`). So the template cannot drift from the shapes.

Import mints IRIs from the names (decision 0001): the city slug from its official name,
each row's slug from its key columns, prefixed by the city's. A cell may name another row
by its name or key, or something already in the graph by IRI or `kind/slug`. Every
problem is reported as "sheet, row N, column: message"; rows count from the header (row 1).

Model v2 (decision 0005): a few columns are the import's own rather than a shape's - a
stage's `status` (recorded, skipped, ongoing), and each row's `source` and `locator`, the
part of a source cited as the row's evidence - and a stage's or transition's dates are read
by the import itself (a year or a day, with a qualifier), into an interval and instants of
the stage's own. The columns of earlier templates (`LEGACY`) still import. The instructions
sheet ends with an example (`EXAMPLE`) that a test validates.
"""

from smartcity_kg.tabular.importing import (
    Imported,
    TemplateError,
    city_slug,
    local_of,
    slugify,
    turtle,
    turtle_prefixes,
)
from smartcity_kg.tabular.layout import SHEETS, Column, Sheet, layout
from smartcity_kg.tabular.reading import read
from smartcity_kg.tabular.template import write_template

__all__ = [
    "SHEETS",
    "Column",
    "Imported",
    "Sheet",
    "TemplateError",
    "city_slug",
    "layout",
    "local_of",
    "read",
    "slugify",
    "turtle",
    "turtle_prefixes",
    "write_template",
]
