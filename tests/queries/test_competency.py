"""Each competency question returns the paper's answer (shared/competency-questions.md),
for Tangerang Selatan and for a second city, on the asserted graphs and whichever reasoner made
the closure (model v2 asserts the qualified forms; reasoning only adds their shortcuts)."""

import pytest

from smartcity_kg.queries import library, run_named

ID = "https://w3id.org/smartcity-kg/id/"
PAPER = "source/azmi-djunaedi-2021"


@pytest.fixture(params=["asserted", "rules", "reasonable", "owlrl"], scope="module")
def kg(request):
    name = {
        "asserted": "curated_kg_asserted",
        "rules": "curated_kg",
        "reasonable": "curated_kg_reasonable",
        "owlrl": "curated_kg_owlrl",
    }
    return request.getfixturevalue(name[request.param])


def rows(kg, name, **params):
    """Rows as tuples of short values: IRIs under id/ lose their prefix, literals their type."""
    result = run_named(kg, name, params)
    return [
        tuple(None if t is None else t.value.removeprefix(ID) for t in row) for row in result.rows
    ], result.variables


def records(kg, name, **params):
    """Rows as dicts of short values, unbound variables left out."""
    found, variables = rows(kg, name, **params)
    return [{v: t for v, t in zip(variables, row, strict=True) if t is not None} for row in found]


def test_every_question_has_a_query():
    assert [q.question for q in library().values()] == [f"CQ{i}" for i in range(1, 22)]


def test_cq01_stages_in_order_with_years(kg):
    found, _ = rows(kg, "cq01-stages", city="tangerang-selatan")
    assert [(r[2], r[4], r[5], r[6], r[7]) for r in found] == [
        ("stage-kind/preparation", "2016", "2017", "1", "false"),
        ("stage-kind/planning", "2017", "2018", "1", "false"),
        ("stage-kind/implementation", "2018", "2021", "3", "true"),
    ]
    # one dating per stage, each from the paper; the ongoing stage's length is a lower bound
    assert [
        (r["interval"], r["source"], r["lowerBound"], r["cycle"])
        for r in records(kg, "cq01-stages", city="tangerang-selatan")
    ] == [
        ("interval/tangerang-selatan-preparation", PAPER, "false", "1"),
        ("interval/tangerang-selatan-planning", PAPER, "false", "1"),
        ("interval/tangerang-selatan-implementation", PAPER, "true", "1"),
    ]


def test_cq02_transitions_and_their_enablers(kg):
    found = records(kg, "cq02-transitions", city="tangerang-selatan")
    by_transition = {}
    for r in found:
        key = (r["year"], r["fromKind"].split("/")[1], r["toKind"].split("/")[1])
        by_transition.setdefault(key, set()).add(r["enabler"])
    # C.2 names no factor as driving the move from planning to implementation (the graph
    # records cooperation and participation there as the enabling activities), so, as in the
    # paper's answer to CQ2, that move has enablers and no driving factor.
    assert by_transition == {
        ("2016", "e-government", "preparation"): {
            "factor/leadership",
            "activity/tangerang-selatan-digital-governance",
            "programme/tangerang-selatan-daidita",
        },
        ("2017", "preparation", "planning"): {
            "activity/tangerang-selatan-readiness-analysis",
            "programme/gerakan-menuju-100-smart-city",
        },
        ("2018", "planning", "implementation"): {
            "activity/tangerang-selatan-public-service-strengthening",
            "activity/tangerang-selatan-stakeholder-cooperation",
            "activity/tangerang-selatan-plan-document-integration",
            "plan/tangerang-selatan-masterplan-2018-2022",
        },
    }
    # every enabler and driver is an attribution of its own, with its evidence (C.2)
    assert all(r["attribution"].startswith("attribution/") for r in found)
    assert {r["evidence"] for r in found} == {"source-part/azmi-djunaedi-2021-c-2"}


def test_cq03_policies_issued_drafted_or_guiding_each_stage(kg):
    """The corrected CQ3: the Masterplan is drawn up in planning (no issue date) and guides
    implementation, which is not the same as being issued in it."""
    found = records(kg, "cq03-policies-by-stage", city="tangerang-selatan")
    assert [
        (r["stageKind"], r["type"], r.get("number"), r.get("year"), r["relation"]) for r in found
    ] == [
        ("stage-kind/planning", "plan-type/masterplan", None, None, "drafted"),
        ("stage-kind/planning", "act-type/kepwal", "134", "2017", "issued"),
        ("stage-kind/implementation", "plan-type/masterplan", None, None, "guides"),
        ("stage-kind/implementation", "act-type/perda", "12", "2019", "issued"),
    ]
    masterplan = {r.get("periodBegin") for r in found if r["type"] == "plan-type/masterplan"}
    assert masterplan == {"2018"}


def test_cq04_foundation_of_implementation_is_perda_12_2019(kg):
    found, _ = rows(kg, "cq04-stage-foundation", city="tangerang-selatan")
    assert [(r[2], r[3], r[4], r[5], r[7]) for r in found] == [
        (
            "policy/tangerang-selatan-perda-12-2019",
            "act-type/perda",
            "12",
            "2019",
            "Penyelenggaraan Komunikasi dan Informatika",
        )
    ]
    assert rows(kg, "cq04-stage-foundation", stageKind="planning")[0] == []


TABEL_3 = {
    "factor/leadership",
    "factor/sustainable-programmes",
    "factor/civil-servant-capacity",
    "factor/community-approach",
    "factor/budget",
    "factor/active-community-participation",
    "factor/multi-party-collaboration",
    "factor/city-problem-priority",
}


def tabel_3_claims(kg):
    """The claims that rest on Tabel 3 of the paper."""
    return {
        r["claim"]
        for r in records(kg, "cq20-claims-by-evidence", source=["azmi-djunaedi-2021"])
        if r["evidence"] == "source-part/azmi-djunaedi-2021-tabel-3"
    }


@pytest.mark.parametrize(
    ("city", "role"), [("tangerang-selatan", "finding"), ("surabaya", "proposition")]
)
def test_cq05_five_internal_three_external_factors(kg, city, role):
    """The claims of Tabel 3 (other sources and other parts of the paper add claims of their
    own): one per factor, for the city as a whole, moving it forward."""
    paper = tabel_3_claims(kg)
    tabel_3 = [r for r in records(kg, "cq05-factors", city=city) if r["influence"] in paper]
    groups = [r["group"] for r in tabel_3]
    assert (groups.count("factor/internal"), groups.count("factor/external")) == (5, 3)
    assert {r["factor"] for r in tabel_3} == TABEL_3
    assert {r["role"] for r in tabel_3} == {f"factor-role/{role}"}
    assert {(r.get("stage"), r["effect"]) for r in tabel_3} == {(None, "factor-effect/enabling")}


def test_cq05_stage_claims_and_barriers_of_tangerang_selatan(kg):
    others = {
        (r["factor"], r.get("group"), r.get("stage"), r["effect"])
        for r in records(kg, "cq05-factors", city="tangerang-selatan")
        if "stage" in r or r["effect"] != "factor-effect/enabling"
    }
    assert others == {
        (
            "factor/leadership",
            "factor/internal",
            "stage/tangerang-selatan-preparation",
            "factor-effect/enabling",
        ),
        (
            "factor/active-community-participation",
            "factor/external",
            "stage/tangerang-selatan-implementation",
            "factor-effect/enabling",
        ),
        (
            "factor/implementation-guidelines",
            None,
            "stage/tangerang-selatan-preparation",
            "factor-effect/hindering",
        ),
        ("factor/budget", "factor/internal", None, "factor-effect/hindering"),
    }


def test_cq06_all_eight_shared_one_under_another_name(kg):
    """In Tabel 3 (other sources name Surabaya's factors too, and get a row per pair)."""
    paper = tabel_3_claims(kg)
    everything, _ = rows(kg, "cq06-shared-factors", city="tangerang-selatan", other="surabaya")
    found = [r for r in everything if r[7] in paper and r[8] in paper]
    assert len(found) == 8
    assert {r[2] for r in everything} == {r[2] for r in found} == TABEL_3
    renamed = [(r[2], r[4], r[5]) for r in found if r[6] == "false"]
    assert renamed == [
        (
            "factor/multi-party-collaboration",
            "Kerja Sama Berbagai Pihak",
            "Kolaborasi Berbagai Pihak",
        )
    ]
    mirrored, _ = rows(kg, "cq06-shared-factors", city="surabaya", other="tangerang-selatan")
    assert sorted(r[2] for r in mirrored if r[7] in paper and r[8] in paper) == sorted(
        r[2] for r in found
    )


def test_cq07_dominant_factors(kg):
    """Dominant for the city as a whole (Tabel 3, D), and leadership in the preparation
    stage (C.1)."""
    found = records(kg, "cq07-dominant-factors", city="tangerang-selatan")
    assert [(r["factor"], r["group"], r.get("stageKind")) for r in found] == [
        ("factor/active-community-participation", "factor/external", None),
        ("factor/leadership", "factor/internal", None),
        ("factor/leadership", "factor/internal", "stage-kind/preparation"),
    ]
    assert rows(kg, "cq07-dominant-factors", city="surabaya")[0] == []


def test_cq08_the_five_pentahelix_roles(kg):
    found, _ = rows(kg, "cq08-pentahelix", city="tangerang-selatan")
    assert [r[1] for r in found] == [
        f"pentahelix-sector/{s}"
        for s in ("academia", "business", "community", "government", "media")
    ]
    government = next(r for r in found if r[1].endswith("/government"))
    assert government[3] == "org/tangerang-selatan-pemerintah-kota"
    # the paper names no organisation in the other four sectors: sector involvements
    claims = {r[1].split("/")[1]: (r[3], r[5]) for r in found}
    assert claims["business"] == (None, "sector-involvement/tangerang-selatan-pentahelix-business")
    assert claims["government"][1] == "membership/tangerang-selatan-pentahelix-government"


def test_cq09_programmes_by_dimension_and_start_stage(kg):
    found, _ = rows(kg, "cq09-programmes-by-dimension", city="tangerang-selatan")
    by_programme = {r[2]: (r[1], r[5]) for r in found}
    assert by_programme["programme/tangerang-selatan-daidita"] == (
        "dimension/smart-governance",
        "stage-kind/preparation",
    )
    assert by_programme["programme/tangerang-selatan-siaran-tangsel"][1] == "stage-kind/planning"
    assert by_programme["programme/tangerang-selatan-pju-led-smart-system"][0] == (
        "dimension/smart-living"
    )
    assert by_programme["programme/tangerang-selatan-pltsa-cipeucang"][0] == (
        "dimension/smart-environment"
    )


@pytest.mark.parametrize(
    ("city", "peers"),
    [
        ("tangerang-selatan", ["Kota Padang Panjang", "Kota Tarakan"]),
        ("tarakan", ["Kota Padang Panjang", "Kota Tangerang Selatan"]),
    ],
)
def test_cq10_peers_in_the_same_category_and_year(kg, city, peers):
    found, _ = rows(kg, "cq10-award-peers", city=city)
    assert [(r[1], r[2], r[3], r[5]) for r in found] == [
        ("award/isna", "award-category/best-smart-society", "2018", peer) for peer in peers
    ]


def test_cq11_cities_with_several_categories(kg):
    found, _ = rows(kg, "cq11-multi-category-winners")
    assert [(r[1], r[3], r[4]) for r in found] == [
        ("Kota Salatiga", "2018", "2"),
        ("Kota Semarang", "2018", "2"),
        ("Kota Surakarta", "2018", "2"),
    ]


def test_cq12_planning_of_at_most_one_year(kg):
    """Other cities may have short stages too; Tangerang Selatan's answer is the paper's, and
    its ongoing implementation stage is never called short, however many years are allowed."""

    def tangsel(**params):
        found, _ = rows(kg, "cq12-short-stages", **params)
        return [(r[3], r[4], r[5], r[6], r[11]) for r in found if r[0] == "city/tangerang-selatan"]

    assert tangsel() == [("stage/tangerang-selatan-planning", "2017", "2018", "1", PAPER)]
    assert tangsel(stageKind="preparation", maxYears="1") == [
        ("stage/tangerang-selatan-preparation", "2016", "2017", "1", PAPER)
    ]
    for years in ("2", "3", "100"):
        assert tangsel(stageKind="implementation", maxYears=years) == []


CLAIMS = [
    "stage/tangerang-selatan-preparation",
    "stage/tangerang-selatan-planning",
    "stage/tangerang-selatan-implementation",
    "transition/tangerang-selatan-e-government-preparation",
    "transition/tangerang-selatan-preparation-planning",
    "transition/tangerang-selatan-planning-implementation",
    "policy/tangerang-selatan-kepwal-134-2017",
    "policy/tangerang-selatan-perda-12-2019",
    "plan/tangerang-selatan-masterplan-2018-2022",
    "factor-influence/tangerang-selatan-leadership",
]

# The claim resources of model v2, each with its own evidence in the paper.
V2_CLAIMS = [
    "interval/tangerang-selatan-planning",
    "instant/tangerang-selatan-preparation-planning",
    "attribution/tangerang-selatan-planning-implementation-tangerang-selatan-masterplan-2018-2022",
    "attribution/tangerang-selatan-e-government-preparation-leadership",
    "funding/tangerang-selatan-initial-funding",
    "sector-involvement/tangerang-selatan-pentahelix-business",
    "membership/tangerang-selatan-pentahelix-government",
    "membership/tangerang-selatan-diskominfo-lead-agency",
    "cohort-membership/gerakan-menuju-100-smart-city-2017-tangerang-selatan",
    "criterion-fulfilment/tangerang-selatan-team-decree",
    "strategic-issue/tangerang-selatan-kualitas-sumber-daya-manusia",
    "factor-influence/tangerang-selatan-leadership-preparation",
    "monitoring/tangerang-selatan-masterplan",
]


@pytest.mark.parametrize("claim", CLAIMS)
def test_cq13_every_claim_links_to_the_paper(kg, claim):
    found, _ = rows(kg, "cq13-evidence", claim=ID + claim)
    assert found, claim
    assert {r[4] for r in found if r[2].endswith("SourcePart")} == {PAPER}


@pytest.mark.parametrize("claim", V2_CLAIMS)
def test_cq13_every_v2_claim_has_evidence_of_its_own(kg, claim):
    found = records(kg, "cq13-evidence", claim=ID + claim)
    assert found, claim
    assert PAPER in {r.get("source") for r in found}
    assert {r["evidenceKind"] for r in found} <= {"part", "interview", "observation", "document"}
    assert all("via" not in r for r in found)


def test_cq13_kinds_of_evidence(kg):
    funding = records(kg, "cq13-evidence", claim=ID + "funding/tangerang-selatan-initial-funding")
    assert {(r["evidenceKind"], r["locator"], r["source"]) for r in funding} == {
        ("part", "C.3", PAPER),
        ("interview", "Tabel 1, no. 2", PAPER),
    }


def test_cq13_an_activity_rests_on_the_attribution_that_names_it(kg):
    found = records(kg, "cq13-evidence", claim=ID + "activity/tangerang-selatan-readiness-analysis")
    assert [(r["evidence"], r["via"]) for r in found] == [
        (
            "source-part/azmi-djunaedi-2021-c-2",
            "attribution/tangerang-selatan-preparation-planning-tangerang-selatan-readiness-analysis",
        )
    ]


def test_cq13_default_claim_rests_on_section_c2(kg):
    found, _ = rows(kg, "cq13-evidence")
    assert [(r[1], r[3]) for r in found] == [("source-part/azmi-djunaedi-2021-c-2", "C.2")]


def test_cq14_timelines_one_row_per_city_and_stage(kg):
    found, _ = rows(kg, "cq14-timelines", city=["tangerang-selatan"])
    assert [(r[0], r[3], r[4], r[5]) for r in found] == [
        ("city/tangerang-selatan", "stage-kind/preparation", "2016", "2017"),
        ("city/tangerang-selatan", "stage-kind/planning", "2017", "2018"),
        ("city/tangerang-selatan", "stage-kind/implementation", "2018", "2021"),
    ]
    everyone, _ = rows(kg, "cq14-timelines")
    assert {r[0] for r in everyone} >= {"city/tangerang-selatan"}


# the columns that name the claims each query returns
CLAIM_COLUMNS = {
    "cq01-stages": ["stage", "interval"],
    "cq02-transitions": ["transition", "attribution"],
    "cq03-policies-by-stage": ["policy"],
    "cq04-stage-foundation": ["act"],
    "cq08-pentahelix": ["claim"],
    "cq09-programmes-by-dimension": ["programme"],
    "cq14-timelines": ["stage", "interval"],
}


@pytest.mark.parametrize("name", sorted(CLAIM_COLUMNS))
def test_surabaya_has_no_stages_policies_or_programmes_in_the_paper(kg, name):
    """The paper describes Surabaya only through its factors (Tabel 3): whatever the graph
    holds about Surabaya's trajectory rests on other sources."""
    params = {"city": ["surabaya"]} if name == "cq14-timelines" else {"city": "surabaya"}
    claims = {r[c] for r in records(kg, name, **params) for c in CLAIM_COLUMNS[name] if c in r}
    for claim in claims:
        sources = {r.get("source") for r in records(kg, "cq13-evidence", claim=ID + claim)}
        assert PAPER not in sources, claim
