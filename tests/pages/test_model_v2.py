"""Model v2 on the pages (docs/decisions/0005-model-v2.md): several datings of a stage each
with its source, date qualifiers, open-ended ongoing stages with a lower-bound duration,
skipped stages apart from unrecorded ones, stage criteria met, and the evidence of every
claim resource - read from asserted triples, so the same with and without reasoning."""

import pytest

from .test_pages import SVG, XHTML, parse, rows, table_after, text

V2_PAGE = "/id/city/kota-contoh-dua"


def sections(answer) -> dict[str, list[list[str]]]:
    tree = parse(answer.text)
    found = {}
    for name in (
        "datings",
        "criteria",
        "transitions",
        "policies",
        "cohorts",
        "funding",
        "actors",
    ):
        found[name] = rows(table_after(tree, name))
    return found


@pytest.mark.parametrize("lang", ["en", "id"])
def test_v2_sections_need_no_reasoning(client, plain_client, lang):
    reasoned = sections(client.get(f"{V2_PAGE}?lang={lang}"))
    plain = sections(plain_client.get(f"{V2_PAGE}?lang={lang}"))
    assert reasoned == plain
    assert all(reasoned.values())


def test_each_dating_with_its_source_skipped_and_qualifiers(plain_client):
    tree = parse(plain_client.get(f"{V2_PAGE}?lang=en").text)
    assert rows(table_after(tree, "datings")) == [
        ["e-government", "?–2015", "", "Example report 2024, chapter 2"],
        ["preparation", "c. 2015–2016", "c. 1 year", "Example report 2024, chapter 2"],
        ["2016–≤ 2017", "≤ 1 year", "Example survey 2025, page 4"],
        ["planning", "skipped", "Example report 2024, chapter 2"],
        ["implementation", "≥ 2017–2020 (ongoing)", "", "Example report 2024, chapter 2"],
    ]
    kinds = [
        tr.get("class") for tr in table_after(tree, "datings").iter(XHTML + "tr") if tr.get("class")
    ]
    assert kinds == ["dated", "dated", "dated", "skipped", "dated"]


def test_indonesian_qualifiers(plain_client):
    tree = parse(plain_client.get(f"{V2_PAGE}?lang=id").text)
    datings = rows(table_after(tree, "datings"))
    assert datings[1][:3] == ["persiapan", "± 2015–2016", "± 1 tahun"]
    assert datings[3] == ["perencanaan", "dilewati", "Laporan contoh 2024, bab 2"]
    assert datings[4][1] == "≥ 2017–2020 (berlangsung)"


def test_tangerang_selatan_ongoing_stage_has_a_lower_bound_and_kinds_not_recorded(client):
    tree = parse(client.get("/id/city/tangerang-selatan?lang=en").text)
    datings = {r[0]: r[1:] for r in rows(table_after(tree, "datings")) if len(r) == 4}
    assert datings["implementation"][:2] == ["2018–2021 (ongoing)", "≥ 3 years"]
    assert datings["preparation"][:2] == ["2016–2017", "1 year"]
    # a kind neither dated nor skipped says so
    example = parse(client.get("/id/city/kota-contoh?lang=en").text)
    assert [r[:2] for r in rows(table_after(example, "datings"))] == [
        ["e-government", "not recorded"],
        ["preparation", "2019–2020"],
        ["planning", "not recorded"],
        ["implementation", "not recorded"],
    ]


def test_criteria_transitions_and_claim_evidence(plain_client):
    found = sections(plain_client.get(f"{V2_PAGE}?lang=en"))
    assert found["criteria"] == [
        [
            "masterplan completed",
            "implementation",
            "2018",
            "Smart City Masterplan of Second Example City",
            "Bab 2",
        ]
    ]
    # each enabler and driver with the evidence of its own attribution, the transition
    # with its own; the year with its qualifier
    assert found["transitions"] == [
        [
            "c. 2017",
            "preparation → implementation",
            "Command centre of Second Example City p. 4",
            "leadership Bab 2",
            "Bab 2",
        ]
    ]
    assert found["policies"] == [
        [
            "preparation",
            "drafted in",
            "smart-city masterplan",
            "",
            "2018",
            "Smart City Masterplan of Second Example City",
            "Bab 2",
        ],
        [
            "implementation",
            "guides",
            "smart-city masterplan",
            "",
            "2018",
            "Smart City Masterplan of Second Example City",
            "Bab 2",
        ],
    ]
    assert found["cohorts"] == [
        [
            "Movement Towards 100 Smart Cities, 2018 cohort (50 cities and regencies)",
            "Movement Towards 100 Smart Cities",
            "2018",
            "Bab 2",
        ]
    ]
    assert [r[1:] for r in found["funding"]] == [
        ["70%", "yes", "", "p. 4"],
        ["30%", "yes", "", "p. 4"],
    ]
    assert found["actors"] == [["academia", "the sector as a whole: research support", "p. 4"]]


def test_area_of_a_recorded_city(plain_client):
    tree = parse(plain_client.get(f"{V2_PAGE}?lang=en").text)
    area = next(d for d in tree.iter(XHTML + "dl") if d.get("class") == "area")
    assert [(text(div[0]), text(div[1])) for div in area] == [
        ("Kind", "city"),
        ("Area code", ""),
        ("Province", "Jawa Barat Province"),
    ]
    assert not [p for p in tree.iter(XHTML + "p") if p.get("class") == "no-record"]


def test_chart_draws_every_dating_open_ended_ongoing_and_skip(plain_client):
    tree = parse(plain_client.get(f"{V2_PAGE}?lang=en").text)
    svg = next(tree.iter(SVG + "svg"))
    groups = [g for g in svg.iter(SVG + "g") if "stage" in (g.get("class") or "").split()]
    assert [
        (g.get("data-kind"), g.get("data-begin"), g.get("data-end"), g.get("class")) for g in groups
    ] == [
        ("preparation", "2015", "2016", "stage uncertain"),
        ("preparation", "2016", "2017", "stage uncertain"),
        ("implementation", "2017", "2020", "stage ongoing uncertain"),
    ]
    assert [g.get("data-begin-qualifier") for g in groups] == ["approximate", None, "not-before"]
    assert [g.get("data-end-qualifier") for g in groups] == [None, "not-after", None]
    ongoing = groups[2]
    assert [g.get("class") for g in ongoing.iter(SVG + "g")][1:] == ["open-end"]
    skipped = [g for g in svg.iter(SVG + "g") if g.get("class") == "skipped"]
    assert [(g.get("data-kind"), text(g.find(SVG + "title"))) for g in skipped] == [
        ("planning", "planning: skipped (Bab 2)")
    ]
    assert text(svg.find(SVG + "desc")) == (
        "Second Example City: preparation c. 2015–2016 (Bab 2); preparation 2016–≤ 2017 (p. 4); "
        "planning skipped (Bab 2); implementation ≥ 2017–2020 (ongoing)."
    )
    links = [a.get("href") for a in svg.iter(SVG + "a")]
    assert "/id/skip/kota-contoh-dua-planning?lang=en" in links


def test_claim_resources_show_their_evidence(plain_client):
    for path, evidence in (
        ("/id/interval/kota-contoh-dua-preparation-survey", "p. 4"),
        ("/id/attribution/kota-contoh-dua-leadership", "Bab 2"),
        ("/id/funding/kota-contoh-dua-apbd", "p. 4"),
        ("/id/sector-involvement/kota-contoh-dua-academia", "p. 4"),
        ("/id/cohort-membership/gerakan-menuju-100-smart-city-2018-kota-contoh-dua", "Bab 2"),
        ("/id/criterion-fulfilment/kota-contoh-dua-masterplan", "Bab 2"),
        ("/id/skip/kota-contoh-dua-planning", "Bab 2"),
    ):
        tree = parse(plain_client.get(path + "?lang=en").text)
        own = next(p for p in tree.iter(XHTML + "p") if p.get("class") == "own-evidence")
        assert text(own) == f"Evidence for this resource: {evidence}", path


def test_compare_shows_datings_skips_and_not_recorded(plain_client):
    tree = parse(
        plain_client.get(
            "/compare?city=tangerang-selatan&city=kota-contoh-dua&city=kabupaten-aceh-barat&lang=en"
        ).text
    )
    table = table_after(tree, "datings")
    header = [text(th) for th in next(table.iter(XHTML + "tr"))]
    assert header == ["Stage", "South Tangerang City", "Second Example City", "Aceh Barat Regency"]
    by_kind = {r[0]: r[1:] for r in rows(table)}
    assert by_kind["preparation"][0].startswith("2016–2017 (1 year) ")
    assert by_kind["preparation"][1:] == [
        "c. 2015–2016 (c. 1 year) Bab 2 | 2016–≤ 2017 (≤ 1 year) p. 4",
        "not recorded",
    ]
    assert by_kind["planning"][1:] == ["skipped Bab 2", "not recorded"]
    assert by_kind["implementation"][0].startswith("2018–2021 (ongoing) ≥ 3 years")
    assert by_kind["implementation"][1] == "≥ 2017–2020 (ongoing) Bab 2"
