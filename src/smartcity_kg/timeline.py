"""Stage timelines of cities on one time axis: an SVG chart (and its PNG), drawn by one
function for the city and comparison pages and for `smartcity-kg timeline`, and a compact
chart of many municipalities for the overview page.

The data is the page query `stage-datings` (model v2, docs/decisions/0005-model-v2.md):
one bar per dating of a stage, so a stage that two sources date differently has two
bars, each with its source; skipped stages (`stage-skips`) get a lane that says so. Years
are whole columns: a stage of 2016-2017 covers the 2016 and 2017 columns, so stages that
share a boundary year overlap there, as year precision allows. A date that is not exact
is written with its qualifier ("c. 2016", "≥ 2016", "≤ 2018", "?") and its bar is dashed.
An ongoing stage is drawn solid up to the year its source observed it until, then fades
out past it with an arrow (`.open-end`): it has no end, and its duration is a lower bound
("≥ 3 years"). The PNG is rendered by resvg (a Rust library in the `resvg-py` wheel; it
needs no system library and no network).
"""

from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph
import resvg_py

from smartcity_kg.queries import find
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.web.describe import Labels, evidence, page_queries, page_query

QUERY = "stage-datings"
SKIPS = "stage-skips"
E_GOVERNMENT = "e-government"
WORDS = {
    "en": {
        "title": "Stage timeline",
        "overview_title": "Smart-city stages of the municipalities",
        "ongoing": "ongoing",
        "none": "no stages recorded",
        "undated": "not dated",
        "skipped": "skipped",
        "approximate": "c. {}",
        "not-before": "≥ {}",
        "not-after": "≤ {}",
        "unknown": "?",
        "under_a_year": "under a year",
        "one_year": "1 year",
        "years": "{} years",
        "cycle": "cycle {}",
        "legend_ongoing": "ongoing: open end",
        "legend_uncertain": "dashed: date not exact",
        "kinds": ("preparation", "planning", "implementation"),
    },
    "id": {
        "title": "Linimasa tahap",
        "overview_title": "Tahap kota cerdas kota dan kabupaten",
        "ongoing": "berlangsung",
        "none": "belum ada tahap tercatat",
        "undated": "tanpa tanggal",
        "skipped": "dilewati",
        "approximate": "± {}",
        "not-before": "≥ {}",
        "not-after": "≤ {}",
        "unknown": "?",
        "under_a_year": "kurang dari setahun",
        "one_year": "1 tahun",
        "years": "{} tahun",
        "cycle": "siklus {}",
        "legend_ongoing": "berlangsung: ujung terbuka",
        "legend_uncertain": "putus-putus: tanggal tidak pasti",
        "kinds": ("persiapan", "perencanaan", "implementasi"),
    },
}
FILLS = {"preparation": "#9ecae1", "planning": "#fdae6b", "implementation": "#a1d99b"}
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
WIDTH, LEFT, RIGHT, TOP, LANE, HEADER = 960, 230, 56, 62, 26, 24
FADE = 44  # the faded open end of an ongoing stage, in pixels (into the right margin)
TEXT = 6.8  # the width of a character of the bar texts, roughly, in pixels


def slug(iri: str | None) -> str | None:
    return iri.rstrip("/").rsplit("/", 1)[-1] if iri else None


def _year(value: str | None) -> int | None:
    """The year of an xsd:gYear or xsd:date lexical form ("2016", "2016-05-01")."""
    if not value:
        return None
    head = value[1:] if value.startswith("-") else value
    digits = head.split("-", 1)[0]
    return int(digits) * (-1 if value.startswith("-") else 1) if digits.isdigit() else None


def point(value: str | None, qualifier: str | None, lang: str) -> str:
    """An instant as written on the pages: its year or date with its qualifier
    ("c. 2016", "≥ 2016", "≤ 2018"), "?" when unknown."""
    words = WORDS[lang]
    if qualifier == "unknown" or not value:
        return words["unknown"]
    if qualifier in ("approximate", "not-before", "not-after"):
        return words[qualifier].format(value)
    return value


def span_text(begin: str, end: str) -> str:
    return begin if begin == end else f"{begin}–{end}"


@dataclass(frozen=True)
class Span:
    """One dating of a stage on a timeline: the stage's IRI, kind (IRI and name) and the
    years of its interval. `begin`/`end` are the years drawn (`end` of an ongoing stage is
    the year it was observed until); `*_value` the year or date as given, `*_qualifier`
    the slug of its `sck:dateQualifier` (None: exact), `has_*` whether the instant exists
    at all (no instant: not recorded)."""

    stage: str
    kind: str
    name: str
    begin: int | None
    end: int | None
    ongoing: bool
    interval: str | None = None
    begin_value: str | None = None
    end_value: str | None = None
    begin_qualifier: str | None = None
    end_qualifier: str | None = None
    has_begin: bool = True
    has_end: bool = True
    observed_until: int | None = None
    cycle: int = 1
    notation: str = ""
    sources: tuple[str, ...] = ()

    @property
    def kind_slug(self) -> str:
        return slug(self.kind) or ""

    @property
    def dated(self) -> bool:
        return self.begin is not None or self.end is not None

    @property
    def uncertain(self) -> bool:
        """Whether a drawn end is not exact (qualified, or unknown)."""
        qualifiers = (self.begin_qualifier, None if self.ongoing else self.end_qualifier)
        return any(q not in (None, "exact") for q in qualifiers) or (
            self.dated and (self.begin is None or (self.end is None and not self.ongoing))
        )

    def text(self, lang: str) -> str:
        """The years as written on the pages: "2016–2017", "c. 2015–2016", "≥ 2017–2020"
        (an ongoing stage ends at the year it was observed until), "?–2015"."""
        if self.interval is None:
            return WORDS[lang]["undated"]
        begin = point(self.begin_value, self.begin_qualifier, lang)
        if self.ongoing:
            end = str(self.observed_until) if self.observed_until is not None else "…"
        else:
            end = point(self.end_value, self.end_qualifier, lang)
        return span_text(begin, end)

    @property
    def years(self) -> str:
        return self.text("en")

    def duration(self) -> tuple[int | None, str | None]:
        """The length in years (end - begin) and what kind of figure it is: `exact`,
        `approximate`, `lower` (at least: ongoing, or an end that may move outwards),
        `upper` (at most); (None, None) when it cannot be told."""
        last = self.observed_until if self.ongoing else self.end
        if self.begin is None or last is None:
            return None, None
        if self.begin_qualifier == "unknown" or (
            not self.ongoing and self.end_qualifier == "unknown"
        ):
            return None, None
        end_qualifier = None if self.ongoing else self.end_qualifier
        lower = self.ongoing or self.begin_qualifier == "not-after" or end_qualifier == "not-before"
        upper = self.begin_qualifier == "not-before" or end_qualifier == "not-after"
        years = last - self.begin
        if lower and upper:
            return None, None
        if lower:
            return years, "lower"
        if upper:
            return years, "upper"
        if "approximate" in (self.begin_qualifier, end_qualifier):
            return years, "approximate"
        return years, "exact"

    def duration_text(self, lang: str) -> str | None:
        """The duration as written: "1 year", "≥ 3 years", "c. 2 years", "≤ 1 year"."""
        years, bound = self.duration()
        if years is None or (years <= 0 and bound == "lower"):
            return None  # "at least 0 years" tells nothing
        words = WORDS[lang]
        if years <= 0 and bound in ("exact", "upper", "approximate"):
            figure = words["under_a_year"]
        else:
            figure = words["one_year"] if years == 1 else words["years"].format(years)
        if bound == "approximate":
            return words["approximate"].format(figure)
        return {"lower": "≥ ", "upper": "≤ "}.get(bound, "") + figure


@dataclass(frozen=True)
class Skip:
    """A kind of stage a source says the city skipped, with that source."""

    skip: str
    kind: str
    name: str
    notation: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Timeline:
    """A city, its stage datings (in order of cycle, kind and beginning) and its skips."""

    city: str
    name: str
    spans: tuple[Span, ...]
    skips: tuple[Skip, ...] = ()

    @property
    def lanes(self) -> list[Span | Skip]:
        """Spans and skips in the order of the chart: by cycle, kind, then beginning."""
        return sorted(
            [*self.spans, *self.skips],
            key=lambda item: (
                getattr(item, "cycle", 1),
                item.notation,
                getattr(item, "begin", None) or getattr(item, "end", None) or 0,
            ),
        )


def city_iris(cities: list[str]) -> list[str]:
    """The IRIs of cities given as slugs or IRIs; ParameterError for anything else."""
    param = find(QUERY, page_queries()).params[0]
    return [param.term(city).value for city in cities]


def _short(item, labels: Labels) -> str:
    """Evidence as the chart names it: its locator, else its label."""
    return item.locator or labels(pyoxigraph.NamedNode(item.iri))


def spans_of(
    rows, labels: Labels, sources: dict[str, tuple[str, ...]], *, e_government: bool = False
) -> dict[str, list[Span]]:
    """Spans by city from rows of `stage-datings` (or `overview`); the e-government period
    left out unless `e_government`. `sources` names the evidence of each interval."""
    found: dict[str, dict[tuple, Span]] = {}
    for row in rows:
        if "stage" not in row or "kind" not in row:
            continue
        if row.get("status") is not None and row["status"].value != "stage":
            continue
        kind = row["kind"]
        if slug(kind.value) == E_GOVERNMENT and not e_government:
            continue
        interval = row["interval"].value if "interval" in row else None
        ongoing = "ongoing" in row and row["ongoing"].value == "true"
        observed = _year(row["observedUntil"].value) if "observedUntil" in row else None
        begin_value = row["begin"].value if "begin" in row else None
        end_value = row["end"].value if "end" in row else None
        begin_q = slug(row["beginQualifier"].value) if "beginQualifier" in row else None
        end_q = slug(row["endQualifier"].value) if "endQualifier" in row else None
        begin = _year(begin_value) if begin_q != "unknown" else None
        end = observed if ongoing else (_year(end_value) if end_q != "unknown" else None)
        if ongoing and end is None:
            end = begin
        cycle = row["cycle"].value if "cycle" in row else "1"
        span = Span(
            stage=row["stage"].value,
            kind=kind.value,
            name=labels(kind),
            begin=begin,
            end=end,
            ongoing=ongoing,
            interval=interval,
            begin_value=begin_value,
            end_value=end_value,
            begin_qualifier=begin_q,
            end_qualifier=end_q,
            has_begin="hasBegin" in row and row["hasBegin"].value == "true",
            has_end="hasEnd" in row and row["hasEnd"].value == "true",
            observed_until=observed,
            cycle=int(cycle) if cycle.isdigit() else 1,
            notation=row["kindNotation"].value if "kindNotation" in row else "",
            sources=sources.get(interval, ()) if interval else (),
        )
        found.setdefault(row["city"].value, {})[(span.stage, interval)] = span
    return {city: list(by_key.values()) for city, by_key in found.items()}


def skips_of(rows, labels: Labels) -> dict[str, list[Skip]]:
    """Skips by city from rows of `stage-skips` (one row per evidence)."""
    found: dict[str, dict[str, Skip]] = {}
    for row in rows:
        key = row["skip"].value
        city = found.setdefault(row["city"].value, {})
        source = ()
        if "evidence" in row:
            source = (row["locator"].value if "locator" in row else labels(row["evidence"]),)
        if key in city:
            old = city[key]
            city[key] = Skip(old.skip, old.kind, old.name, old.notation, old.sources + source)
        else:
            city[key] = Skip(
                key,
                row["kind"].value,
                labels(row["kind"]),
                row["kindNotation"].value if "kindNotation" in row else "",
                source,
            )
    return {city: list(by_key.values()) for city, by_key in found.items()}


def timelines(kg: KnowledgeGraph, cities: list[str], lang: str) -> list[Timeline]:
    """The timelines of `cities` (slugs or IRIs), in the order given; every city with
    stages when `cities` is empty. Names are in `lang`."""
    labels = Labels(kg, lang)
    iris = city_iris(cities)
    rows = page_query(kg, QUERY, {"city": iris}).records()
    intervals = [row["interval"].value for row in rows if "interval" in row]
    sources = {
        claim: tuple(dict.fromkeys(_short(item, labels) for item in found))
        for claim, found in evidence(kg, intervals).items()
    }
    spans = spans_of(rows, labels, sources)
    skips = skips_of(page_query(kg, SKIPS, {"city": iris}).records(), labels)
    order = list(dict.fromkeys([*iris, *(spans if not iris else [])]))
    return [
        Timeline(
            city,
            labels(pyoxigraph.NamedNode(city)),
            tuple(sorted(spans.get(city, []), key=sort_key)),
            tuple(sorted(skips.get(city, []), key=lambda s: s.notation)),
        )
        for city in order
    ]


def sort_key(span: Span):
    return (span.cycle, span.notation, span.begin or span.end or 0, span.end or 0)


def _several(line: Timeline) -> set[str]:
    """The stages of a line that have more than one dating."""
    seen: dict[str, int] = {}
    for span in line.spans:
        seen[span.stage] = seen.get(span.stage, 0) + 1
    return {stage for stage, count in seen.items() if count > 1}


def _lane_name(span: Span, words) -> str:
    return span.name + (f" ({words['cycle'].format(span.cycle)})" if span.cycle > 1 else "")


def _extras(span: Span, lang: str, several: bool) -> list[str]:
    words = WORDS[lang]
    extras = []
    if span.ongoing:
        extras.append(words["ongoing"])
        duration = span.duration_text(lang)
        if duration:
            extras.append(duration)
    if several and span.sources:
        extras.append(", ".join(span.sources))
    return extras


def describe(timeline: Timeline, lang: str) -> str:
    """The chart's text alternative for one city: each stage with its years (and, for an
    ongoing stage, its duration as a lower bound; for a stage dated by several sources,
    each dating with its source), and each skipped kind with its source."""
    words = WORDS[lang]
    if not timeline.spans and not timeline.skips:
        return f"{timeline.name}: {words['none']}."
    several = _several(timeline)
    parts = []
    for item in timeline.lanes:
        if isinstance(item, Skip):
            source = f" ({', '.join(item.sources)})" if item.sources else ""
            parts.append(f"{item.name} {words['skipped']}{source}")
            continue
        extras = _extras(item, lang, item.stage in several)
        parts.append(
            f"{_lane_name(item, words)} {item.text(lang)}"
            + (f" ({', '.join(extras)})" if extras else "")
        )
    return f"{timeline.name}: {'; '.join(parts)}."


class _Axis:
    """The years of a chart and where they are drawn."""

    def __init__(self, spans: list[Span], left: int, right: int):
        years = [y for s in spans for y in (s.begin, s.end) if y is not None]
        self.first, self.last = min(years, default=0), max(years, default=0)
        self.left = left
        self.column = (WIDTH - left - right) / (self.last - self.first + 1)

    def x(self, year: int) -> float:
        return self.left + (year - self.first) * self.column

    def rules(self, top: int, bottom: int, *, labels: bool = True) -> list[str]:
        out = []
        for year in range(self.first, self.last + 2):  # a rule at each column's edges
            x = self.x(year)
            out.append(
                f'<line x1="{x:.1f}" y1="{top - 14}" x2="{x:.1f}" y2="{bottom}" stroke="#d0d0d0"/>'
            )
            if labels and year <= self.last:
                out.append(
                    f'<text class="year" x="{x + self.column / 2:.1f}" y="{top - 20}" '
                    f'text-anchor="middle">{year}</text>'
                )
        return out


def _defs(ident: str) -> str:
    """One fading gradient per stage colour, for the open end of ongoing stages."""
    stops = "".join(
        f'<linearGradient id="{ident}-fade-{name}" x1="0" x2="1" y1="0" y2="0">'
        f'<stop offset="0" stop-color="{fill}" stop-opacity="1"/>'
        f'<stop offset="1" stop-color="{fill}" stop-opacity="0"/></linearGradient>'
        for name, fill in [*FILLS.items(), ("other", "#d9d9d9")]
    )
    return f"<defs>{stops}</defs>"


def _header(ident: str, title: str, desc: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family={quoteattr(FONT)} '
        f'font-size="12">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        _defs(ident),
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="12" y="22" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]


def svg(
    lines: list[Timeline],
    lang: str,
    *,
    link: Callable[[str], str] | None = None,
    ident: str = "timeline",
) -> str:
    """The chart of `lines` on one year axis as an SVG element (no XML declaration), with
    <title> and <desc> for screen readers; one lane per dating of a stage and per skipped
    kind. Each dating is a `g.stage` carrying its years in data attributes (`.ongoing`
    with an `.open-end` when it is ongoing), linked through `link` (an IRI -> href) when
    given; a skip is a `g.skipped`."""
    words = WORDS[lang]
    spans = [s for line in lines for s in line.spans]
    axis = _Axis(spans, LEFT, RIGHT)
    height = TOP + sum(HEADER + LANE * max(len(line.lanes), 1) for line in lines) + 12
    title = f"{words['title']}: " + ", ".join(line.name for line in lines)
    desc = " ".join(describe(line, lang) for line in lines)
    out = _header(ident, title, desc, height)
    if any(s.dated for s in spans):
        out += axis.rules(TOP, height - 8)
    y = TOP
    for line in lines:
        out.append(
            f'<text class="city" x="12" y="{y + 17}" font-weight="bold">{escape(line.name)}</text>'
        )
        y += HEADER
        if not line.lanes:
            out.append(
                f'<text x="{LEFT}" y="{y + 17}" fill="#555555">{escape(words["none"])}</text>'
            )
            y += LANE
        several = _several(line)
        for item in line.lanes:
            if isinstance(item, Skip):
                out.append(_skip(item, line.city, y, words, link))
            else:
                out.append(_bar(item, line.city, axis, y, lang, ident, link, item.stage in several))
            y += LANE
    out.append("</svg>")
    return "\n".join(out)


def _skip(skip: Skip, city: str, y: int, words, link) -> str:
    source = f" ({', '.join(skip.sources)})" if skip.sources else ""
    text = f"{words['skipped']}{source}"
    body = (
        f'<g class="skipped" data-city={quoteattr(city)} data-kind="{escape(slug(skip.kind))}">'
        f"<title>{escape(skip.name)}: {escape(text)}</title>"
        f'<text x="{LEFT - 10}" y="{y + 17}" text-anchor="end">{escape(skip.name)}</text>'
        f'<text x="{LEFT + 4}" y="{y + 17}" fill="#555555" font-style="italic">'
        f"{escape(text)}</text>"
        "</g>"
    )
    return f"<a href={quoteattr(link(skip.skip))}>{body}</a>" if link else body


def _shape(span: Span, axis: _Axis, y: float, height: float, ident: str, fill: str) -> list[str]:
    """The bar of a dating between y and y + height: solid over its years, dashed when a
    date is not exact, open and fading past the observed year when ongoing."""
    start = span.begin if span.begin is not None else span.end
    stop = span.end if span.end is not None else span.begin
    x, width = axis.x(start), (stop - start + 1) * axis.column
    dash = ' stroke-dasharray="4 3"' if span.uncertain else ""
    if not span.ongoing:
        return [
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height}" rx="3" '
            f'fill="{fill}" stroke="#333333"{dash}/>'
        ]
    tip, bottom, arm = x + width, y + height, min(5.0, height / 2 + 1)
    slug = span.kind_slug if span.kind_slug in FILLS else "other"
    return [
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height}" fill="{fill}"/>',
        f'<path d="M{tip:.1f},{y:.1f} H{x:.1f} V{bottom:.1f} H{tip:.1f}" fill="none" '
        f'stroke="#333333"{dash}/>',
        f'<g class="open-end"><rect x="{tip:.1f}" y="{y:.1f}" width="{FADE}" height="{height}" '
        f'fill="url(#{ident}-fade-{slug})"/>'
        f'<path d="M{tip:.1f},{y:.1f} h{FADE} M{tip:.1f},{bottom:.1f} h{FADE}" '
        f'stroke="#333333" stroke-dasharray="3 3"/>'
        f'<path d="M{tip + FADE - 8:.1f},{y + height / 2 - arm:.1f} l7,{arm:.1f} l-7,{arm:.1f}" '
        'fill="none" '
        f'stroke="#333333" stroke-width="1.5"/></g>',
    ]


def _data(span: Span, city: str) -> str:
    attributes = {
        "data-city": city,
        "data-stage": span.stage,
        "data-kind": span.kind_slug,
        "data-begin": "" if span.begin is None else str(span.begin),
        "data-end": "" if span.end is None else str(span.end),
        "data-ongoing": str(span.ongoing).lower(),
    }
    if span.interval:
        attributes["data-interval"] = span.interval
    for key, value in (("begin", span.begin_qualifier), ("end", span.end_qualifier)):
        if value and value != "exact":
            attributes[f"data-{key}-qualifier"] = value
    return " ".join(f"{key}={quoteattr(value)}" for key, value in attributes.items())


def _bar(
    span: Span, city: str, axis: _Axis, y: int, lang: str, ident: str, link, several: bool
) -> str:
    words = WORDS[lang]
    fill = FILLS.get(span.kind_slug, "#d9d9d9")
    extras = _extras(span, lang, several)
    text = span.text(lang) + (f" ({', '.join(extras)})" if extras else "")
    tip = text if several or not span.sources else f"{text} ⟨{', '.join(span.sources)}⟩"
    classes = (
        "stage" + (" ongoing" if span.ongoing else "") + (" uncertain" if span.uncertain else "")
    )
    name = _lane_name(span, words)
    parts = [
        f'<g class="{classes}" {_data(span, city)}>',
        f"<title>{escape(name)}: {escape(tip)}</title>",
        f'<text x="{LEFT - 10}" y="{y + 17}" text-anchor="end">{escape(name)}</text>',
    ]
    if span.dated:
        parts += _shape(span, axis, y + 4, 18, ident, fill)
        start = span.begin if span.begin is not None else span.end
        stop = span.end if span.end is not None else start
        x, end = axis.x(start) + 6, axis.x(stop + 1) + (FADE if span.ongoing else 0)
        if x + TEXT * len(text) > axis.x(stop + 1) and end + 6 + TEXT * len(text) <= WIDTH:
            x = end + 6  # too long for its bar: written after it
        parts.append(f'<text x="{x:.1f}" y="{y + 17}" fill="#111111">{escape(text)}</text>')
    else:
        parts.append(f'<text x="{LEFT + 4}" y="{y + 17}" fill="#555555">{escape(text)}</text>')
    parts.append("</g>")
    body = "".join(parts)
    return f"<a href={quoteattr(link(span.stage))}>{body}</a>" if link else body


OVERVIEW_LEFT, OVERVIEW_TOP, ROW, KINDS = 250, 84, 9, ("preparation", "planning", "implementation")


def overview_svg(
    lines: list[Timeline],
    lang: str,
    *,
    link: Callable[[str], str] | None = None,
    ident: str = "overview-timeline",
) -> str:
    """Many municipalities on one year axis, one lane each: within a lane a thin row per
    kind of stage (preparation, planning, implementation), every dating a bar in its row
    (`g.stage`, `.ongoing` ones with an `.open-end`), a skipped kind marked in its row
    (`g.skipped`). The text alternative lists every stage as `describe` does."""
    words = WORDS[lang]
    spans = [s for line in lines for s in line.spans]
    axis = _Axis(spans, OVERVIEW_LEFT, RIGHT)
    rows = {kind: index for index, kind in enumerate(KINDS)}
    lane = ROW * len(KINDS) + 10
    height = OVERVIEW_TOP + lane * max(len(lines), 1) + 12
    title = words["overview_title"]
    desc = " ".join(describe(line, lang) for line in lines) or words["none"]
    out = _header(ident, title, desc, height)
    out.append(_legend(lang))
    if any(s.dated for s in spans):
        out += axis.rules(OVERVIEW_TOP, height - 8)
    y = OVERVIEW_TOP
    for index, line in enumerate(lines):
        if index % 2:
            out.append(
                f'<rect x="4" y="{y - 2}" width="{WIDTH - 8}" height="{lane}" fill="#f4f6f8" '
                'fill-opacity="0.6"/>'
            )
        name = escape(line.name)
        label = f'<text class="city" x="12" y="{y + lane / 2 + 2:.1f}">{name}</text>'
        out.append(f"<a href={quoteattr(link(line.city))}>{label}</a>" if link else label)
        dated = [s for s in line.spans if s.dated]
        for span in dated:
            # datings of one kind share its row, each a slice of it
            same = [s for s in dated if s.kind_slug == span.kind_slug]
            thick = (ROW - 2) / len(same)
            row_y = y + rows.get(span.kind_slug, len(KINDS) - 1) * ROW + same.index(span) * thick
            fill = FILLS.get(span.kind_slug, "#d9d9d9")
            extras = _extras(span, lang, True)
            text = span.text(lang) + (f" ({', '.join(extras)})" if extras else "")
            body = (
                f'<g class="stage{" ongoing" if span.ongoing else ""}'
                f'{" uncertain" if span.uncertain else ""}" {_data(span, line.city)}>'
                f"<title>{name}, {escape(span.name)}: {escape(text)}</title>"
                + "".join(_shape(span, axis, row_y, round(thick, 1), ident, fill))
                + "</g>"
            )
            out.append(f"<a href={quoteattr(link(span.stage))}>{body}</a>" if link else body)
        for skip in line.skips:
            row_y = y + rows.get(slug(skip.kind), len(KINDS) - 1) * ROW
            source = f" ({', '.join(skip.sources)})" if skip.sources else ""
            out.append(
                f'<g class="skipped" data-city={quoteattr(line.city)} '
                f'data-kind="{escape(slug(skip.kind))}"><title>{name}, {escape(skip.name)}: '
                f"{escape(words['skipped'] + source)}</title>"
                f'<line x1="{OVERVIEW_LEFT}" y1="{row_y + ROW / 2 - 1:.1f}" x2="{WIDTH - RIGHT}" '
                f'y2="{row_y + ROW / 2 - 1:.1f}" stroke="#999999" stroke-dasharray="1 4"/></g>'
            )
        y += lane
    out.append("</svg>")
    return "\n".join(out)


def _legend(lang: str) -> str:
    words = WORDS[lang]
    out, x = ['<g class="legend" font-size="11">'], 12
    for fill, name in zip(FILLS.values(), words["kinds"], strict=True):
        out.append(
            f'<rect x="{x}" y="36" width="14" height="10" fill="{fill}" stroke="#333333"/>'
            f'<text x="{x + 18}" y="45">{escape(name)}</text>'
        )
        x += 30 + 7 * len(name)
    out.append(
        f'<text x="{x}" y="45">→ {escape(words["legend_ongoing"])} · '
        f"{escape(words['legend_uncertain'])}</text></g>"
    )
    return "".join(out)


def document(chart: str) -> str:
    """A standalone SVG file of a chart made by `svg`."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + chart + "\n"


def png(chart: str) -> bytes:
    """The chart rasterised at twice its size on a white background."""
    return bytes(resvg_py.svg_to_bytes(svg_string=chart, background="#ffffff", zoom=2))
