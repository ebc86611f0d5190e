"""`/overview`: the national overview - every municipality with any smart-city record, its
province, its programme cohorts and its stages, all on one time axis; filtered on the
server by province and cohort (`?province=<slug or IRI>&cohort=<slug or IRI>`, each may
repeat), with a plain GET form so that it works without script; and the same rows as CSV
(`/overview.csv` or `?format=csv`): a header, then one row per municipality and stage
dating (a skipped kind is a row too; a municipality with neither has one row).

The rows come from the page query queries/pages/overview.rq, over asserted triples.
"""

import csv
import io
from dataclasses import dataclass, field

import pyoxigraph
from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from smartcity_kg import timeline
from smartcity_kg.errors import UserError
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.web.describe import Evidence, evidence
from smartcity_kg.web.pages import Page, Rendered, View, iri_param, page_query, serve, slug_of

CSV_MEDIA = "text/csv; charset=utf-8"
CSV_HEADER = (
    "municipality",
    "municipality_label",
    "kind",
    "area_code",
    "province",
    "province_label",
    "cohorts",
    "cohort_labels",
    "records",
    "status",
    "stage",
    "stage_kind",
    "cycle",
    "interval",
    "begin",
    "begin_qualifier",
    "end",
    "end_qualifier",
    "ongoing",
    "observed_until",
    "duration_years",
    "duration_bound",
    "evidence",
)
RECORDS = (
    "stage",
    "skip",
    "e-government",
    "transition",
    "cohort",
    "criterion",
    "policy",
    "programme",
    "funding",
    "factor",
    "award",
)


@dataclass
class Entry:
    """One municipality of the overview and what it has."""

    city: pyoxigraph.NamedNode
    type: pyoxigraph.NamedNode | None
    area_code: str | None
    province: pyoxigraph.NamedNode | None
    records: list[str]
    cohorts: list[pyoxigraph.NamedNode]
    spans: list[timeline.Span] = field(default_factory=list)
    skips: list[timeline.Skip] = field(default_factory=list)

    @property
    def lanes(self) -> list:
        return timeline.Timeline(self.city.value, "", tuple(self.spans), tuple(self.skips)).lanes


def entries(kg: KnowledgeGraph, page: Page) -> tuple[list[Entry], dict[str, list[Evidence]]]:
    """Every municipality with a record, in the order of their area codes, and the
    evidence of every dating and skip."""
    rows = page_query(kg, "overview").records()
    claims = []
    for row in rows:
        if "interval" in row:
            claims.append(row["interval"].value)
        elif "status" in row and row["status"].value == "skipped":
            claims.append(row["stage"].value)
    proofs = evidence(kg, claims)
    sources = {
        claim: tuple(dict.fromkeys(e.locator or page.label(_node(e.iri)) for e in found))
        for claim, found in proofs.items()
    }
    spans = timeline.spans_of(rows, page.label, sources)
    found: dict[str, Entry] = {}
    for row in rows:
        city = row["city"].value
        if city not in found:
            found[city] = Entry(
                row["city"],
                row.get("type"),
                row["areaCode"].value if "areaCode" in row else None,
                row.get("province"),
                [r for r in RECORDS if r in row["records"].value.split()],
                [pyoxigraph.NamedNode(c) for c in row["cohorts"].value.split()]
                if "cohorts" in row
                else [],
                sorted(spans.get(city, []), key=timeline.sort_key),
            )
        if "status" in row and row["status"].value == "skipped":
            skip = row["stage"].value
            if all(s.skip != skip for s in found[city].skips):
                found[city].skips.append(
                    timeline.Skip(
                        skip,
                        row["kind"].value,
                        page.label(row["kind"]),
                        row["kindNotation"].value if "kindNotation" in row else "",
                        sources.get(skip, ()),
                    )
                )
    return list(found.values()), proofs


def _node(iri: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(iri)


def _chosen(view: View, name: str, kind: str) -> list[str]:
    return list(
        dict.fromkeys(iri_param(v, name, kind) for k, v in view.params if k == name and v.strip())
    )


def overview_job(kg: KnowledgeGraph, view: View, fmt: str) -> Rendered:
    """The overview as HTML, or its rows as CSV (`fmt` csv), filtered by the `province`
    and `cohort` parameters of the view."""
    page = Page(kg, view)
    provinces, cohorts = _chosen(view, "province", "province"), _chosen(view, "cohort", "cohort")
    everything, proofs = entries(kg, page)
    shown = [
        e
        for e in everything
        if (not provinces or (e.province is not None and e.province.value in provinces))
        and (not cohorts or {c.value for c in e.cohorts} & set(cohorts))
    ]
    if fmt == "csv":
        return _csv(page, shown, proofs)
    province_options = {e.province.value: e.province for e in everything if e.province}
    for chosen in provinces:
        province_options.setdefault(chosen, pyoxigraph.NamedNode(chosen))
    cohort_options = {r["cohort"].value: r for r in page_query(kg, "cohort-list").records()}
    lines = [
        timeline.Timeline(e.city.value, page.label(e.city), tuple(e.spans), tuple(e.skips))
        for e in shown
        if e.spans or e.skips
    ]
    params = {
        "province": [slug_of(p, "province") for p in provinces],
        "cohort": [slug_of(c, "cohort") for c in cohorts],
    }
    return page.render(
        "overview.html",
        title=page.t["overview"],
        entries=shown,
        total=len(everything),
        chart=Markup(timeline.overview_svg(lines, page.lang, link=page.href)) if lines else None,
        provinces=sorted(province_options.values(), key=page.label),
        cohorts=list(cohort_options.values()),
        chosen_provinces=provinces,
        chosen_cohorts=cohorts,
        slug_of=slug_of,
        csv_href=page.href("/overview.csv", **params),
        proofs=proofs,
    )


def _csv(page: Page, shown: list[Entry], proofs: dict[str, list[Evidence]]) -> Rendered:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    label = page.label
    for entry in shown:
        head = [
            entry.city.value,
            label(entry.city),
            entry.type.value.rsplit("#", 1)[-1].lower() if entry.type else "",
            entry.area_code or "",
            entry.province.value if entry.province else "",
            label(entry.province) if entry.province else "",
            " ".join(c.value for c in entry.cohorts),
            "; ".join(label(c) for c in entry.cohorts),
            " ".join(entry.records),
        ]
        lanes = entry.lanes
        if not lanes:
            writer.writerow([*head, "none", *[""] * (len(CSV_HEADER) - len(head) - 1)])
        for item in lanes:
            if isinstance(item, timeline.Skip):
                found = proofs.get(item.skip, [])
                writer.writerow(
                    [*head, "skipped", item.skip, timeline.slug(item.kind)]
                    + [""] * 10
                    + [" ".join(e.iri for e in found)]
                )
                continue
            years, bound = item.duration()
            found = proofs.get(item.interval, []) if item.interval else []
            writer.writerow(
                [
                    *head,
                    "stage",
                    item.stage,
                    item.kind_slug,
                    str(item.cycle),
                    item.interval or "",
                    item.begin_value or "",
                    _qualifier(item.begin_value, item.begin_qualifier),
                    "" if item.ongoing else (item.end_value or ""),
                    "" if item.ongoing else _qualifier(item.end_value, item.end_qualifier),
                    str(item.ongoing).lower(),
                    "" if item.observed_until is None else str(item.observed_until),
                    "" if years is None else str(years),
                    bound or "",
                    " ".join(e.iri for e in found),
                ]
            )
    return Rendered(
        out.getvalue().encode("utf-8"),
        media=CSV_MEDIA,
        headers=(
            ("Content-Disposition", 'attachment; filename="smartcity-kg-overview.csv"'),
            ("Content-Language", page.lang),
            ("Vary", "Accept-Language"),
        ),
    )


def _qualifier(value: str | None, qualifier: str | None) -> str:
    """A date's qualifier for the CSV: its slug, `exact` for a date without one, empty for
    no date."""
    return qualifier or ("" if value is None else "exact")


def add_routes(api: APIRouter) -> None:
    """`/overview` (HTML, or CSV with `?format=csv`) and `/overview.csv`."""

    async def overview(request: Request) -> Response:
        fmt = request.query_params.get("format", "html")
        if fmt not in ("html", "csv"):
            raise UserError(f"format={fmt!r}: choose html or csv")
        return await serve(request, overview_job, fmt)

    async def overview_csv(request: Request) -> Response:
        return await serve(request, overview_job, "csv")

    api.add_api_route("/overview", overview, methods=["GET"])
    api.add_api_route("/overview.csv", overview_csv, methods=["GET"])
