"""Each competency question returns the paper's answer (shared/competency-questions.md),
for Tangerang Selatan and for a second city, whichever reasoner made the closure."""

import pytest

from smartcity_kg.queries import library, run_named

ID = "https://w3id.org/smartcity-kg/id/"


@pytest.fixture(params=["reasonable", "owlrl"], scope="module")
def kg(request, curated_kg, curated_kg_owlrl):
    return {"reasonable": curated_kg, "owlrl": curated_kg_owlrl}[request.param]


def rows(kg, name, **params):
    """Rows as tuples of short values: IRIs under id/ lose their prefix, literals their type."""
    result = run_named(kg, name, params)
    return [
        tuple(None if t is None else t.value.removeprefix(ID) for t in row) for row in result.rows
    ], result.variables


def column(kg, name, variable, **params):
    found, variables = rows(kg, name, **params)
    return [row[variables.index(variable)] for row in found]


def test_every_question_has_a_query():
    assert [q.question for q in library().values()] == [f"CQ{i}" for i in range(1, 15)]


def test_cq01_stages_in_order_with_years(kg):
    found, _ = rows(kg, "cq01-stages", city="tangerang-selatan")
    assert [(r[2], r[4], r[5], r[6], r[7]) for r in found] == [
        ("stage-kind/preparation", "2016", "2017", "1", "false"),
        ("stage-kind/planning", "2017", "2018", "1", "false"),
        ("stage-kind/implementation", "2018", "2021", "3", "true"),
    ]


def test_cq02_transitions_and_their_enablers(kg):
    found, _ = rows(kg, "cq02-transitions", city="tangerang-selatan")
    by_transition = {}
    for _, _, year, source, target, enabler, _, _ in found:
        key = (year, source.split("/")[1], target.split("/")[1])
        by_transition.setdefault(key, set()).add(enabler)
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
            "factor/multi-party-collaboration",
            "factor/active-community-participation",
        },
    }


def test_cq03_policies_by_stage_type_number_year(kg):
    found, _ = rows(kg, "cq03-policies-by-stage", city="tangerang-selatan")
    assert [(r[1], r[3], r[5], r[6]) for r in found] == [
        ("stage-kind/planning", "act-type/kepwal", "134", "2017"),
        ("stage-kind/implementation", "plan-type/masterplan", None, "2018"),
        ("stage-kind/implementation", "act-type/perda", "12", "2019"),
    ]


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


@pytest.mark.parametrize(
    ("city", "role"), [("tangerang-selatan", "finding"), ("surabaya", "proposition")]
)
def test_cq05_five_internal_three_external_factors(kg, city, role):
    found, _ = rows(kg, "cq05-factors", city=city)
    groups = [r[1] for r in found]
    assert (groups.count("factor/internal"), groups.count("factor/external")) == (5, 3)
    assert {r[5] for r in found} == {f"factor-role/{role}"}
    assert {r[2] for r in found} == {
        "factor/leadership",
        "factor/sustainable-programmes",
        "factor/civil-servant-capacity",
        "factor/community-approach",
        "factor/budget",
        "factor/active-community-participation",
        "factor/multi-party-collaboration",
        "factor/city-problem-priority",
    }


def test_cq06_all_eight_shared_one_under_another_name(kg):
    found, _ = rows(kg, "cq06-shared-factors", city="tangerang-selatan", other="surabaya")
    assert len(found) == 8
    renamed = [(r[2], r[4], r[5]) for r in found if r[6] == "false"]
    assert renamed == [
        (
            "factor/multi-party-collaboration",
            "Kerja Sama Berbagai Pihak",
            "Kolaborasi Berbagai Pihak",
        )
    ]
    mirrored, _ = rows(kg, "cq06-shared-factors", city="surabaya", other="tangerang-selatan")
    assert sorted(r[2] for r in mirrored) == sorted(r[2] for r in found)


def test_cq07_dominant_factors(kg):
    found, _ = rows(kg, "cq07-dominant-factors", city="tangerang-selatan")
    assert [(r[1], r[3]) for r in found] == [
        ("factor/active-community-participation", "factor/external"),
        ("factor/leadership", "factor/internal"),
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
    found, _ = rows(kg, "cq12-short-stages")
    assert [(r[0], r[4], r[5], r[6]) for r in found] == [
        ("city/tangerang-selatan", "2017", "2018", "1")
    ]
    assert rows(kg, "cq12-short-stages", stageKind="implementation", maxYears="2")[0] == []
    longer, _ = rows(kg, "cq12-short-stages", stageKind="implementation", maxYears="3")
    assert [(r[0], r[6]) for r in longer] == [("city/tangerang-selatan", "3")]


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


@pytest.mark.parametrize("claim", CLAIMS)
def test_cq13_every_claim_links_to_the_paper(kg, claim):
    found, _ = rows(kg, "cq13-evidence", claim=ID + claim)
    assert found, claim
    assert {r[4] for r in found if r[2].endswith("SourcePart")} == {"source/azmi-djunaedi-2021"}


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


@pytest.mark.parametrize(
    "name",
    [
        "cq01-stages",
        "cq02-transitions",
        "cq03-policies-by-stage",
        "cq04-stage-foundation",
        "cq08-pentahelix",
        "cq09-programmes-by-dimension",
        "cq14-timelines",
    ],
)
def test_surabaya_has_no_stages_policies_or_programmes_in_the_paper(kg, name):
    """The paper describes Surabaya only through its factors (Tabel 3): these are empty."""
    params = {"city": ["surabaya"]} if name == "cq14-timelines" else {"city": "surabaya"}
    assert rows(kg, name, **params)[0] == []
