"""Stage timelines of cities on one time axis: an SVG chart (and its PNG), drawn by one
function for the city and comparison pages and for `smartcity-kg timeline`.

The data is the named query cq14-timelines. Years are whole columns: a stage of
2016-2017 covers the 2016 and 2017 columns, so stages that share a boundary year overlap
there, as year precision allows. An ongoing stage ends at the year its source observed it
until and carries an arrow. The PNG is rendered by resvg (a Rust library in the
`resvg-py` wheel; it needs no system library and no network).
"""

from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph
import resvg_py

from smartcity_kg.queries import find, run_named
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.web.describe import Labels

QUERY = "cq14-timelines"
WORDS = {
    "en": {"title": "Stage timeline", "ongoing": "ongoing", "none": "no stages recorded"},
    "id": {"title": "Linimasa tahap", "ongoing": "berlangsung", "none": "belum ada tahap tercatat"},
}
FILLS = {"preparation": "#9ecae1", "planning": "#fdae6b", "implementation": "#a1d99b"}
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
WIDTH, LEFT, RIGHT, TOP, LANE, HEADER = 960, 230, 40, 62, 26, 24


@dataclass(frozen=True)
class Span:
    """One stage on a timeline: its IRI, kind (IRI and name) and years."""

    stage: str
    kind: str
    name: str
    begin: int
    end: int
    ongoing: bool

    @property
    def years(self) -> str:
        return f"{self.begin}–{self.end}" if self.end != self.begin else str(self.begin)


@dataclass(frozen=True)
class Timeline:
    """A city and its stages, in order of beginning."""

    city: str
    name: str
    spans: tuple[Span, ...]


def city_iris(cities: list[str]) -> list[str]:
    """The IRIs of cities given as slugs or IRIs; ParameterError for anything else."""
    param = find(QUERY).params[0]
    return [param.term(city).value for city in cities]


def timelines(kg: KnowledgeGraph, cities: list[str], lang: str) -> list[Timeline]:
    """The timelines of `cities` (slugs or IRIs), in the order given; every city with
    stages when `cities` is empty. Names are in `lang`."""
    labels = Labels(kg, lang)
    rows = run_named(kg, QUERY, {"city": cities}).records()
    spans: dict[str, dict[str, Span]] = {iri: {} for iri in city_iris(cities)}
    for row in rows:
        kind = row["kind"]
        spans.setdefault(row["city"].value, {})[row["stage"].value] = Span(
            stage=row["stage"].value,
            kind=kind.value,
            name=labels(kind),
            begin=int(row["begin"].value[:4]),
            end=int(row["end"].value[:4]) if "end" in row else int(row["begin"].value[:4]),
            ongoing=row["ongoing"].value == "true",
        )
    return [
        Timeline(
            city,
            labels(pyoxigraph.NamedNode(city)),
            tuple(sorted(by_stage.values(), key=lambda s: (s.begin, s.end))),
        )
        for city, by_stage in spans.items()
    ]


def describe(timeline: Timeline, lang: str) -> str:
    """The chart's text alternative for one city: each stage with its years."""
    words = WORDS[lang]
    if not timeline.spans:
        return f"{timeline.name}: {words['none']}."
    parts = [
        f"{s.name} {s.years}" + (f" ({words['ongoing']})" if s.ongoing else "")
        for s in timeline.spans
    ]
    return f"{timeline.name}: {'; '.join(parts)}."


def svg(
    lines: list[Timeline],
    lang: str,
    *,
    link: Callable[[str], str] | None = None,
    ident: str = "timeline",
) -> str:
    """The chart of `lines` on one year axis as an SVG element (no XML declaration), with
    <title> and <desc> for screen readers; each stage is a `g.stage` carrying its years
    in data attributes, linked through `link` (an IRI -> href) when given."""
    words = WORDS[lang]
    spans = [s for line in lines for s in line.spans]
    first = min((s.begin for s in spans), default=0)
    last = max((s.end for s in spans), default=0)
    column = (WIDTH - LEFT - RIGHT) / (last - first + 1)
    height = TOP + sum(HEADER + LANE * max(len(line.spans), 1) for line in lines) + 12
    title = f"{words['title']}: " + ", ".join(line.name for line in lines)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family={quoteattr(FONT)} '
        f'font-size="12">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">'
        + escape(" ".join(describe(line, lang) for line in lines))
        + "</desc>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="12" y="22" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    if spans:
        for year in range(first, last + 2):  # a rule at each column's edges
            x = LEFT + (year - first) * column
            out.append(
                f'<line x1="{x:.1f}" y1="{TOP - 14}" x2="{x:.1f}" y2="{height - 8}" '
                'stroke="#d0d0d0"/>'
            )
            if year <= last:
                out.append(
                    f'<text class="year" x="{x + column / 2:.1f}" y="{TOP - 20}" '
                    f'text-anchor="middle">{year}</text>'
                )
    y = TOP
    for line in lines:
        out.append(
            f'<text class="city" x="12" y="{y + 17}" font-weight="bold">{escape(line.name)}</text>'
        )
        y += HEADER
        if not line.spans:
            out.append(
                f'<text x="{LEFT}" y="{y + 17}" fill="#555555">{escape(words["none"])}</text>'
            )
            y += LANE
        for span in line.spans:
            out.append(
                _bar(span, line.city, LEFT + (span.begin - first) * column, y, column, words, link)
            )
            y += LANE
    out.append("</svg>")
    return "\n".join(out)


def _bar(span: Span, city: str, x: float, y: int, column: float, words, link) -> str:
    width = (span.end - span.begin + 1) * column
    slug = span.kind.rstrip("/").rsplit("/", 1)[-1]
    fill = FILLS.get(slug, "#d9d9d9")
    text = span.years + (f" ({words['ongoing']})" if span.ongoing else "")
    parts = [
        f'<g class="stage" data-city={quoteattr(city)} data-stage={quoteattr(span.stage)} '
        f'data-kind="{escape(slug)}" data-begin="{span.begin}" data-end="{span.end}" '
        f'data-ongoing="{str(span.ongoing).lower()}">',
        f"<title>{escape(span.name)}: {escape(text)}</title>",
        f'<text x="{LEFT - 10}" y="{y + 17}" text-anchor="end">{escape(span.name)}</text>',
        f'<rect x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="18" rx="3" fill="{fill}" '
        'stroke="#333333"/>',
        f'<text x="{x + 6:.1f}" y="{y + 17}" fill="#111111">{escape(text)}</text>',
    ]
    if span.ongoing:
        tip = x + width
        parts.append(
            f'<path d="M{tip:.1f},{y + 4} l12,9 l-12,9 z" fill="{fill}" stroke="#333333"/>'
        )
    parts.append("</g>")
    body = "".join(parts)
    return f"<a href={quoteattr(link(span.stage))}>{body}</a>" if link else body


def document(chart: str) -> str:
    """A standalone SVG file of a chart made by `svg`."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + chart + "\n"


def png(chart: str) -> bytes:
    """The chart rasterised at twice its size on a white background."""
    return bytes(resvg_py.svg_to_bytes(svg_string=chart, background="#ffffff", zoom=2))
