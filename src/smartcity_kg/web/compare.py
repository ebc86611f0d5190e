"""`/compare`: municipalities side by side - their stage timelines on one axis, every
dating of every kind of stage with its source (or "skipped", or "not recorded"), and the
factor table; and `/timeline.svg`, the chart alone. Any municipality of the registry can be
compared: the form offers those with stages or factors as checkboxes and every other one in
a list grouped by province."""

import pyoxigraph
from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from smartcity_kg import timeline
from smartcity_kg.store import KnowledgeGraph
from smartcity_kg.web.city import areas, factor_table, kind_rows
from smartcity_kg.web.pages import Page, Rendered, View, page_query, serve


def compare_page(kg: KnowledgeGraph, view: View, cities: list[str]) -> Rendered:
    """Cities side by side: their stage timelines on one axis, their stage datings by
    kind, and their factor table."""
    page = Page(kg, view)
    chosen = list(dict.fromkeys(timeline.city_iris([c for c in cities if c.strip()])))
    registry = areas(kg)
    # checkboxes: the chosen ones and those with stages or factors to compare; every other
    # municipality of the registry in the list below them, by province
    rich = {
        r["city"].value
        for r in page_query(kg, "cities").records()
        if int(r["stages"].value) or int(r["factors"].value)
    }
    boxes = rich | set(chosen)
    known = {r["city"].value for r in registry}
    candidates = [r["city"] for r in registry if r["city"].value in boxes]
    candidates += [pyoxigraph.NamedNode(c) for c in chosen if c not in known]
    by_province: dict = {}
    for row in registry:
        if row["city"].value not in boxes:
            by_province.setdefault(row.get("province"), []).append(row["city"])
    others = sorted(
        ((province, sorted(members, key=page.label)) for province, members in by_province.items()),
        key=lambda item: (item[0] is None, page.label(item[0])),
    )
    context = {
        "candidates": sorted(candidates, key=page.label),
        "others": others,
        "chosen": chosen,
    }
    if chosen:
        lines = timeline.timelines(kg, chosen, page.lang)
        context["chart"] = Markup(timeline.svg(lines, page.lang, link=page.href, ident="compare"))
        kinds = kind_rows(kg, chosen, page.label)
        context["kinds"] = [
            (row.kind, [kinds[city][index] for city in chosen])
            for index, row in enumerate(kinds[chosen[0]])
        ]
        context["factors"] = factor_table(kg, chosen)
        context["svg_href"] = page.href("/timeline.svg", city=chosen)
    return page.render("compare.html", title=page.t["compare"], **context)


def timeline_chart(kg: KnowledgeGraph, view: View, cities: list[str]) -> Rendered:
    """The stage-timeline chart of the cities (all with stages when none is given)."""
    chart = timeline.svg(timeline.timelines(kg, cities, view.lang), view.lang)
    return Rendered(
        timeline.document(chart).encode("utf-8"),
        media="image/svg+xml",
        headers=(("Content-Language", view.lang), ("Vary", "Accept-Language")),
    )


def add_routes(api: APIRouter) -> None:
    """`/compare` and `/timeline.svg`."""

    async def compare(request: Request) -> Response:
        return await serve(request, compare_page, request.query_params.getlist("city"))

    async def chart(request: Request) -> Response:
        cities = [c for c in request.query_params.getlist("city") if c.strip()]
        return await serve(request, timeline_chart, cities)

    api.add_api_route("/compare", compare, methods=["GET"])
    api.add_api_route("/timeline.svg", chart, methods=["GET"])
