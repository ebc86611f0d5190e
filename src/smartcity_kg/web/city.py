"""What a municipality's page shows beside its description, and what the comparison reuses:
its area (kind, area code, province), its stage timeline, every dating of every stage with
its source, skipped and unrecorded kinds of stage, stage criteria met, transitions with
the evidence of each enabler and driver, policies, programmes, cohorts, funding, the
pentahelix sectors, factors and awards (model v2, docs/decisions/0005-model-v2.md).

Every section reads asserted triples through the page queries (queries/pages/*.rq), so it
shows the same with or without the reasoner's closure; a shortcut the reasoner derives
(sck:enabledBy, sck:includesMunicipality) is used only where no qualified form says more.
A municipality the graph knows only from the registry gets its area and a plain "no
smart-city record yet".
"""

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph
from markupsafe import Markup

from smartcity_kg import timeline
from smartcity_kg.queries import run_named
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.web.describe import Evidence, Labels, evidence, gathered, page_query

E_GOVERNMENT = "e-government"


@dataclass
class FactorRow:
    """One factor of the factor table: its group (None when no source groups it) and, per
    city IRI, its influences there (a finding, its dominance in a stage, a barrier...)."""

    group: pyoxigraph.NamedNode | None
    factor: pyoxigraph.NamedNode
    cells: dict[str, list[dict]]


def factor_table(kg: KnowledgeGraph, cities: list[str]) -> list[FactorRow]:
    """The factors of `cities` in the order of the scheme, one cell per city (Tabel 3)
    holding every influence of the factor on that city."""
    rows: dict[str, FactorRow] = {}
    records = page_query(kg, "factor-table", {"city": cities}).records()
    proofs = evidence(kg, [r["influence"].value for r in records])
    for record in records:
        row = rows.setdefault(
            record["factor"].value, FactorRow(record.get("group"), record["factor"], {})
        )
        cell = row.cells.setdefault(record["city"].value, [])
        if any(found["influence"] == record["influence"] for found in cell):
            continue
        cell.append(
            {
                **record,
                "dominant": record["dominant"].value == "true",
                "hindering": "effect" in record and record["effect"].value.endswith("/hindering"),
                "evidence": proofs[record["influence"].value],
            }
        )
    return list(rows.values())


def areas(
    kg: KnowledgeGraph, *, city: list[str] | None = None, province: str | None = None
) -> list[dict]:
    """Municipalities (page query `municipalities`; only `city` when given, only those of
    `province` when given) as dicts: city, type, areaCode, province and has_record."""
    return [
        {**row, "has_record": row["hasRecord"].value == "true"}
        for row in page_query(kg, "municipalities", {"city": city or []}).records()
        if province is None or ("province" in row and row["province"].value == province)
    ]


@dataclass(frozen=True)
class Dating:
    """One row of the stage-datings table: a dating of a stage, or a skipped kind."""

    kind: pyoxigraph.NamedNode
    stage: str | None
    span: timeline.Span | None
    skip: pyoxigraph.NamedNode | pyoxigraph.BlankNode | None
    evidence: tuple[Evidence, ...]

    @property
    def skipped(self) -> bool:
        return self.skip is not None


@dataclass(frozen=True)
class KindRow:
    """A kind of stage of one city: its datings and skips, or nothing recorded."""

    kind: pyoxigraph.NamedNode
    datings: tuple[Dating, ...]

    @property
    def recorded(self) -> bool:
        return bool(self.datings)


def stage_kinds(kg: KnowledgeGraph) -> list[pyoxigraph.NamedNode]:
    """The stage kinds in the order of the scheme."""
    return [row["kind"] for row in page_query(kg, "stage-kinds").records()]


def kind_rows(
    kg: KnowledgeGraph, cities: list[str], labels: Labels, *, e_government: bool = True
) -> dict[str, list[KindRow]]:
    """For each city, one row per stage kind with every dating of its stages (each with
    the evidence of its interval) and every skip (with its evidence); kinds with neither
    stay empty (not recorded)."""
    rows = page_query(kg, "stage-datings", {"city": cities}).records()
    proofs = evidence(kg, [r["interval"].value for r in rows if "interval" in r])
    skip_rows = page_query(kg, "stage-skips", {"city": cities}).records()
    skip_proofs = gathered(skip_rows, "skip")
    by_city: dict[str, dict[str, list[Dating]]] = {c: defaultdict(list) for c in cities}
    for city, spans in timeline.spans_of(rows, labels, {}, e_government=True).items():
        for span in sorted(spans, key=timeline.sort_key):
            found = tuple(proofs.get(span.interval, ())) if span.interval else ()
            by_city[city][span.kind].append(
                Dating(pyoxigraph.NamedNode(span.kind), span.stage, span, None, found)
            )
    for row in skip_rows:
        city, skip = row["city"].value, row["skip"]
        if any(d.skip == skip for d in by_city[city][row["kind"].value]):
            continue
        by_city[city][row["kind"].value].append(
            Dating(row["kind"], None, None, skip, tuple(skip_proofs.get(skip.value, ())))
        )
    kinds = [
        k for k in stage_kinds(kg) if e_government or k.value.rsplit("/", 1)[-1] != E_GOVERNMENT
    ]
    return {
        city: [KindRow(kind, tuple(found.get(kind.value, ()))) for kind in kinds]
        for city, found in by_city.items()
    }


def _transitions(kg: KnowledgeGraph, iri: str) -> list[dict]:
    rows = page_query(kg, "transitions", {"city": iri}).records()
    proofs = gathered(rows, "attribution")
    transitions: dict[str, dict] = {}
    for row in rows:
        entry = transitions.setdefault(
            row["transition"].value,
            {
                "transition": row["transition"],
                "year": row.get("year"),
                "qualifier": timeline.slug(row["qualifier"].value) if "qualifier" in row else None,
                "fromKind": row.get("fromKind"),
                "toKind": row.get("toKind"),
                "enabler": {},
                "driver": {},
            },
        )
        if "agent" not in row:
            continue
        attribution = row["attribution"].value if "attribution" in row else None
        entry[row["role"].value].setdefault(
            row["agent"].value,
            {"agent": row["agent"], "evidence": proofs.get(attribution, []) if attribution else []},
        )
    return [
        {**t, "enablers": list(t["enabler"].values()), "drivers": list(t["driver"].values())}
        for t in transitions.values()
    ]


def _grouped_rows(rows, key: str, evidence_key: str | None = None) -> list[dict]:
    """Query rows gathered by `key` (one row per evidence in, one per claim out), with the
    evidence of the claim in column `evidence_key` (default `key`)."""
    proofs = gathered(rows, evidence_key or key)
    found: dict[str, dict] = {}
    for row in rows:
        if key in row:
            claim = row.get(evidence_key or key)
            found.setdefault(
                row[key].value,
                {**row, "evidence": proofs.get(claim.value, []) if claim is not None else []},
            )
    return list(found.values())


def _pentahelix(page, iri: str) -> list[tuple]:
    rows = page_query(page.kg, "pentahelix", {"city": iri}).records()
    proofs = gathered(rows, "claim")
    sectors: dict[str, dict] = {}
    for row in rows:
        sector = sectors.setdefault(row["sector"].value, {"sector": row["sector"], "claims": {}})
        claim = row["claim"].value
        entry = sector["claims"].setdefault(
            claim,
            {
                "claim": row["claim"],
                "actor": row.get("actor"),
                "contribution": [],
                "evidence": proofs.get(claim, []),
            },
        )
        if "contribution" in row and row["contribution"] not in entry["contribution"]:
            entry["contribution"].append(row["contribution"])
    for sector in sectors.values():
        for entry in sector["claims"].values():
            chosen = _in_language(entry["contribution"], page.lang)
            entry["contribution"] = chosen.value if chosen is not None else None
    return sorted(
        ((s["sector"], list(s["claims"].values())) for s in sectors.values()),
        key=lambda item: page.label(item[0]),
    )


def _in_language(literals, lang: str):
    by_lang = {literal.language or "": literal for literal in literals}
    for choice in (lang, "en", "id", ""):
        if choice in by_lang:
            return by_lang[choice]
    return next(iter(by_lang.values()), None)


def area(page, iri: str) -> dict:
    """The area of a municipality: its kind (class), area code, province, and whether the
    graph holds any smart-city record of it."""
    found = areas(page.kg, city=[iri])
    if not found:
        return {"city": pyoxigraph.NamedNode(iri), "has_record": False}
    return found[0]


def city_sections(page, iri: str) -> dict:
    """The city page's sections for `iri`; only the area when it has no record yet."""
    kg, params = page.kg, {"city": iri}
    place = area(page, iri)
    if not place["has_record"]:
        return {"area": place}
    lines = timeline.timelines(kg, [iri], page.lang)
    policies = page_query(kg, "policies", params).records()
    programmes: dict = defaultdict(list)
    for row in _programme_rows(kg, iri):
        programmes[row.get("dimension")].append(row)
    awards = page_query(kg, "awards", params).records()
    criteria = page_query(kg, "criteria", params).records()
    transitions = _transitions(kg, iri)
    claims = (
        [t["transition"].value for t in transitions]
        + [r["policy"].value for r in policies]
        + [r["programme"].value for rows in programmes.values() for r in rows]
        + [r["conferral"].value for r in awards]
    )
    return {
        "area": place,
        "chart": Markup(timeline.svg(lines, page.lang, link=page.href, ident="city-timeline")),
        "svg_href": page.href("/timeline.svg", city=[iri]),
        "kinds": kind_rows(kg, [iri], page.label)[iri],
        "criteria": _grouped_rows(criteria, "fulfilment"),
        "shown_by": _shown_by(criteria),
        "transitions": transitions,
        "policies": policies,
        "programmes": sorted(programmes.items(), key=lambda i: (i[0] is None, page.label(i[0]))),
        "cohorts": _grouped_rows(
            page_query(kg, "cohorts", params).records(), "cohort", "membership"
        ),
        "funding": _grouped_rows(page_query(kg, "funding", params).records(), "record"),
        "actors": _pentahelix(page, iri),
        "factors": factor_table(kg, [iri]),
        "awards": awards,
        "evidence": evidence(kg, claims),
    }


def _shown_by(rows) -> dict[str, list]:
    found: dict[str, dict] = defaultdict(dict)
    for row in rows:
        if "shownBy" in row:
            found[row["fulfilment"].value][row["shownBy"]] = None
    return {key: list(value) for key, value in found.items()}


def _programme_rows(kg: KnowledgeGraph, iri: str) -> list[dict]:
    """Programmes and applications of the city, from the named query cq09."""
    return run_named(kg, "cq09-programmes-by-dimension", {"city": iri}).records()
