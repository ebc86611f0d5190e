"""The national overview (`/overview`, `/overview.csv`), the pages of municipalities that
only the registry knows, province pages and comparing any municipality: in process and
over real HTTP."""

import csv
import io

import httpx
import pytest

from smartcity_kg.web.overview import CSV_HEADER

from .conftest import ACEH_BARAT, ID, TANGSEL, V2
from .test_pages import SVG, XHTML, parse, rows, table_after, text

COHORT_2017 = ID + "cohort/gerakan-menuju-100-smart-city-2017"
COHORT_2018 = ID + "cohort/gerakan-menuju-100-smart-city-2018"
BANTEN = ID + "province/banten"


def overview_rows(answer) -> dict[str, dict]:
    """The overview table by municipality IRI: its cells by column."""
    tree = parse(answer.text)
    table = table_after(tree, "municipalities")
    found = {}
    for tr in table.iter(XHTML + "tr"):
        if tr.get("data-city"):
            cells = rows_of(tr)
            found[tr.get("data-city")] = dict(
                zip(["name", "kind", "province", "cohorts", "stages", "other"], cells, strict=True)
            )
    return found


def rows_of(tr) -> list[str]:
    from .test_pages import cell

    return [cell(c) for c in tr]


def csv_rows(answer) -> list[dict]:
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(answer.text)))


def test_overview_rows(client):
    answer = client.get("/overview?lang=en")
    assert answer.status_code == 200
    found = overview_rows(answer)
    tangsel = found[TANGSEL]
    assert tangsel["name"] == "South Tangerang City 36.74"
    assert (tangsel["kind"], tangsel["province"]) == ("city", "Banten Province")
    assert "Movement Towards 100 Smart Cities, 2017 cohort" in tangsel["cohorts"]
    stages = tangsel["stages"].split(" | ")
    assert [s.split(" (")[0].split(" ⟨")[0] for s in stages][:3] == [
        "preparation: 2016–2017",
        "planning: 2017–2018",
        "implementation: 2018–2021",
    ]
    assert stages[2].startswith("implementation: 2018–2021 (ongoing) (≥ 3 years)")
    v2 = found[V2]
    assert v2["stages"].split(" | ")[2] == "planning: skipped Bab 2"
    assert "2018 cohort" in v2["cohorts"]
    # a municipality that only the registry knows is not in the overview
    assert ACEH_BARAT not in found
    assert ID + "city/kota-contoh" in found  # a stage is a record even without a province
    count = next(p for p in parse(answer.text).iter(XHTML + "p") if p.get("id") == "count")
    assert text(count).startswith(f"{len(found)} of {len(found)} municipalities")


def test_overview_chart_shares_one_axis_and_draws_ongoing_open_ended(client):
    tree = parse(client.get("/overview?lang=en").text)
    svg = next(tree.iter(SVG + "svg"))
    stages = [g for g in svg.iter(SVG + "g") if "stage" in (g.get("class") or "").split()]
    tangsel = [
        (g.get("data-kind"), g.get("data-begin"), g.get("data-end"), g.get("data-ongoing"))
        for g in stages
        if g.get("data-city") == TANGSEL
    ]
    assert tangsel == [
        ("preparation", "2016", "2017", "false"),
        ("planning", "2017", "2018", "false"),
        ("implementation", "2018", "2021", "true"),
    ]
    ongoing = [g for g in stages if "ongoing" in g.get("class").split()]
    assert {g.get("data-city") for g in ongoing} >= {TANGSEL, V2}
    for group in ongoing:
        assert [g.get("class") for g in group.iter(SVG + "g")][1:] == ["open-end"]
    years = [t.text for t in svg.iter(SVG + "text") if t.get("class") == "year"]
    assert years == [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]
    assert years[0] <= "2015" and years[-1] >= "2021"


def test_overview_filters_by_province_and_cohort(client):
    banten = overview_rows(client.get("/overview?province=banten&lang=en"))
    assert TANGSEL in banten and V2 not in banten
    assert {row["province"] for row in banten.values()} == {"Banten Province"}
    by_iri = overview_rows(client.get("/overview", params={"province": BANTEN, "lang": "en"}))
    assert by_iri == banten
    cohort = overview_rows(client.get("/overview?cohort=gerakan-menuju-100-smart-city-2018"))
    assert V2 in cohort and TANGSEL not in cohort
    assert all("2018 cohort" in row["cohorts"] for row in cohort.values())
    both = overview_rows(
        client.get("/overview?province=jawa-barat&cohort=gerakan-menuju-100-smart-city-2018")
    )
    assert V2 in both and set(both) <= set(cohort)
    assert overview_rows(
        client.get("/overview?province=banten&cohort=gerakan-menuju-100-smart-city-2018")
    ).keys() <= set(banten)
    # the form keeps what was chosen
    tree = parse(client.get("/overview?province=banten").text)
    selected = [
        o.get("value") for o in tree.iter(XHTML + "option") if o.get("selected") is not None
    ]
    assert selected == ["banten"]
    # an empty choice is no filter
    assert (
        overview_rows(client.get("/overview?province=&cohort=")).keys()
        == overview_rows(client.get("/overview")).keys()
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("province=Not A Slug", "parameter province: 'Not A Slug' is not a province slug"),
        ("cohort=http://[x", "parameter cohort: 'http://[x' is not a cohort slug"),
        ("format=pdf", "format='pdf': choose html or csv"),
    ],
)
def test_overview_bad_parameters_are_400(client, query, message):
    answer = client.get("/overview?" + query)
    assert answer.status_code == 400
    assert message in answer.json()["detail"]


def test_overview_csv(client):
    for path in ("/overview.csv?lang=en", "/overview?format=csv&lang=en"):
        answer = client.get(path)
        assert answer.status_code == 200
        assert answer.headers["content-disposition"] == (
            'attachment; filename="smartcity-kg-overview.csv"'
        )
        assert answer.text.splitlines()[0] == ",".join(CSV_HEADER)
        assert CSV_HEADER[:3] == ("municipality", "municipality_label", "kind")
        found = csv_rows(answer)
        tangsel = [r for r in found if r["municipality"] == TANGSEL]
        assert [(r["stage_kind"], r["begin"], r["end"], r["ongoing"]) for r in tangsel] == [
            ("preparation", "2016", "2017", "false"),
            ("planning", "2017", "2018", "false"),
            ("implementation", "2018", "", "true"),
        ]
        implementation = tangsel[2]
        assert implementation == {
            **implementation,
            "municipality_label": "South Tangerang City",
            "kind": "city",
            "area_code": "36.74",
            "province": BANTEN,
            "province_label": "Banten Province",
            "status": "stage",
            "stage": ID + "stage/tangerang-selatan-implementation",
            "cycle": "1",
            "interval": ID + "interval/tangerang-selatan-implementation",
            "begin_qualifier": "exact",
            "end_qualifier": "",
            "observed_until": "2021",
            "duration_years": "3",
            "duration_bound": "lower",
        }
        assert COHORT_2017 in implementation["cohorts"].split()
        assert implementation["evidence"].startswith(ID + "source-part/")
        assert "stage" in implementation["records"].split()
    # one row per dating, a skipped kind is a row, the same filters as the page
    v2 = csv_rows(client.get("/overview.csv?cohort=gerakan-menuju-100-smart-city-2018"))
    dual = [r for r in v2 if r["municipality"] == V2]
    assert [(r["status"], r["stage_kind"], r["begin"], r["begin_qualifier"]) for r in dual] == [
        ("stage", "preparation", "2015", "approximate"),
        ("stage", "preparation", "2016", "exact"),
        ("skipped", "planning", "", ""),
        ("stage", "implementation", "2017", "not-before"),
    ]
    assert [
        (r["end"], r["end_qualifier"], r["duration_years"], r["duration_bound"]) for r in dual
    ] == [
        ("2016", "exact", "1", "approximate"),
        ("2017", "not-after", "1", "upper"),
        ("", "", "", ""),
        ("", "", "", ""),
    ]
    assert dual[2]["evidence"] == ID + "source-part/contoh-report-2024-bab-2"
    assert {r["municipality"] for r in v2} == set(
        overview_rows(client.get("/overview?cohort=gerakan-menuju-100-smart-city-2018"))
    )
    # a municipality with records but no stage (nor skip) has one row
    found = csv_rows(client.get("/overview.csv"))
    stageless = [r for r in found if not {"stage", "skip"} & set(r["records"].split())]
    assert stageless and all(r["status"] == "none" and r["stage"] == "" for r in stageless)
    assert len({r["municipality"] for r in stageless}) == len(stageless)


def test_overview_in_indonesian(client):
    answer = client.get("/overview", headers={"Accept-Language": "id"})
    tree = parse(answer.text)
    assert text(next(tree.iter(XHTML + "h1"))) == "Ikhtisar nasional"
    assert answer.headers["content-language"] == "id"
    tangsel = overview_rows(answer)[TANGSEL]
    assert tangsel["kind"] == "kota"
    assert tangsel["stages"].split(" | ")[2].startswith("implementasi: 2018–2021 (berlangsung)")
    label = csv_rows(client.get("/overview.csv?lang=id"))[0]["municipality_label"]
    assert label and client.get("/overview.csv?lang=id").headers["content-language"] == "id"


def test_index_links_to_the_overview_and_lists_provinces(client):
    tree = parse(client.get("/?lang=en").text)
    assert "/overview?lang=en" in [a.get("href") for a in tree.iter(XHTML + "a")]
    provinces = next(u for u in tree.iter(XHTML + "ul") if u.get("class") == "provinces")
    assert len(list(provinces)) == 38


def test_registry_only_municipality_says_it_has_no_record(client):
    for lang, expected in (
        ("en", "No smart-city record yet: the knowledge graph knows this regency only"),
        ("id", "Belum ada catatan kota cerdas: graf pengetahuan mengenal kabupaten ini"),
    ):
        answer = client.get(f"/id/city/kabupaten-aceh-barat?lang={lang}")
        assert answer.status_code == 200
        tree = parse(answer.text)
        note = next(p for p in tree.iter(XHTML + "p") if p.get("class") == "no-record")
        assert text(note).startswith(expected)
        area = next(d for d in tree.iter(XHTML + "dl") if d.get("class") == "area")
        cells = [text(div[1]) for div in area]
        assert cells[1] == "11.05"
        assert cells[2] in ("Aceh Province", "Provinsi Aceh")
        assert cells[0] in ("regency", "kabupaten")
        ids = {s.get("aria-labelledby") for s in tree.iter(XHTML + "section")}
        assert "timeline" not in ids and "datings" not in ids


def test_every_registry_municipality_has_a_page(client, pages_kg):
    from smartcity_kg.web.city import areas

    registry = areas(pages_kg)
    assert len(registry) >= 514
    sample = registry[:: max(1, len(registry) // 25)]
    for row in sample:
        path = "/" + row["city"].value.split("/smartcity-kg/", 1)[1]
        answer = client.get(path + "?lang=en")
        assert answer.status_code == 200, path
        assert ("no-record" in answer.text) != row["has_record"], path


def test_province_page_lists_its_municipalities(client):
    tree = parse(client.get("/id/province/banten?lang=en").text)
    listed = rows(table_after(tree, "municipalities"))
    assert ["36.74", "South Tangerang City", "city", "has a smart-city record"] in listed
    assert [r[:3] for r in listed if r[0] == "36.01"] == [
        ["36.01", "Pandeglang Regency", "regency"]
    ]
    assert len(listed) == 8
    assert {r[3] for r in listed} <= {"has a smart-city record", "registry only"}
    links = [a.get("href") for a in tree.iter(XHTML + "a")]
    assert "/overview?province=banten&lang=en" in links


def test_compare_works_for_a_registry_only_municipality(client):
    answer = client.get(f"/compare?city={ACEH_BARAT}&city=tangerang-selatan&city=&lang=en")
    assert answer.status_code == 200
    tree = parse(answer.text)
    desc = text(next(tree.iter(SVG + "desc")))
    assert desc.startswith("Aceh Barat Regency: no stages recorded. South Tangerang City:")
    datings = rows(table_after(tree, "datings"))
    assert [r[1] for r in datings] == ["not recorded"] * len(datings)
    # every municipality can be chosen, those with records as checkboxes
    options = {o.get("value") for o in tree.iter(XHTML + "option")}
    boxes = {i.get("value") for i in tree.iter(XHTML + "input") if i.get("type") == "checkbox"}
    assert ACEH_BARAT in boxes and TANGSEL in boxes and ID + "city/kabupaten-lebak" in options
    assert len(options | boxes) >= 515


def test_overview_over_http(server):
    answer = httpx.get(server + "/overview?province=banten", headers={"Accept-Language": "en"})
    assert answer.status_code == 200
    assert TANGSEL in overview_rows(answer)
    table = httpx.get(server + "/overview.csv?cohort=gerakan-menuju-100-smart-city-2017")
    found = csv_rows(table)
    assert table.text.splitlines()[0] == ",".join(CSV_HEADER)
    assert {(r["municipality"], r["stage_kind"]) for r in found} >= {
        (TANGSEL, "preparation"),
        (TANGSEL, "planning"),
        (TANGSEL, "implementation"),
    }
    assert all(COHORT_2017 in r["cohorts"].split() for r in found)
    page = httpx.get(server + "/id/city/kabupaten-aceh-barat")
    assert page.status_code == 200 and "No smart-city record yet" in page.text
