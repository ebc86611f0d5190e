"""The cross-city questions (CQ15 onwards) on Tangerang Selatan from the curated graphs and on
the invented cities of fixtures/, whose trajectories leave the usual path:

- Tirtalaya skipped planning (an sck:StageSkip) and its implementation is ongoing;
- Wanasari is dated differently by two sources (planning 2016-2017 per A, 2017-2018 per B;
  the move to implementation 2017 per A, 2018 per B; budget dominant per A, not per B; 100%
  and 60% city funding), its preparation begins "around 2015", its implementation is dated to
  the day;
- Giriwangi went through a second cycle (planning and implementation again, the last ongoing);
- Karangjati planned before it prepared and has no recorded implementation stage;
- Batuwangi planned and implemented at once after preparation.

Each query runs on the asserted graphs and after reasoning, with the same answer.
"""

import pytest

from smartcity_kg.queries import library, run_named

ID = "https://w3id.org/smartcity-kg/id/"
PAPER = "source/azmi-djunaedi-2021"
A, B, C = "source/fixture-source-a", "source/fixture-source-b", "source/fixture-source-c"
FIXTURE_CITIES = ["tirtalaya", "wanasari", "giriwangi", "karangjati", "batuwangi"]
CITIES = {f"city/{c}" for c in ["tangerang-selatan", *FIXTURE_CITIES]}


def records(kg, name, **params):
    """Rows as dicts of short values (IRIs under id/ without it, literals as text), unbound
    variables left out."""
    result = run_named(kg, name, params)
    return [
        {
            v: t.value.removeprefix(ID)
            for v, t in zip(result.variables, row, strict=True)
            if t is not None
        }
        for row in result.rows
    ]


def ours(found):
    """The rows about Tangerang Selatan and the fixture cities."""
    return [r for r in found if r["city"] in CITIES]


def test_cq15_stage_in_a_year_with_boundary_years_and_two_datings(trajectories_kg):
    found = ours(records(trajectories_kg, "cq15-stage-in-year", year="2017"))
    assert [
        (r["city"], r["kind"], r["begin"], r["end"], r["source"], r["observed"]) for r in found
    ] == [
        ("city/batuwangi", "stage-kind/preparation", "2017", "2018", B, "true"),
        ("city/giriwangi", "stage-kind/preparation", "2016", "2017", B, "true"),
        ("city/giriwangi", "stage-kind/planning", "2017", "2018", B, "true"),
        ("city/karangjati", "stage-kind/planning", "2017", "2018", A, "true"),
        ("city/tangerang-selatan", "stage-kind/preparation", "2016", "2017", PAPER, "true"),
        ("city/tangerang-selatan", "stage-kind/planning", "2017", "2018", PAPER, "true"),
        ("city/tirtalaya", "stage-kind/preparation", "2017", "2018", A, "true"),
        ("city/wanasari", "stage-kind/planning", "2016", "2017", A, "true"),
        ("city/wanasari", "stage-kind/planning", "2017", "2018", B, "true"),
    ]
    assert {r["year"] for r in found} == {"2017"}


def test_cq15_the_e_government_period_and_an_approximate_begin(trajectories_kg):
    found = ours(records(trajectories_kg, "cq15-stage-in-year", year="2016"))
    by_city = {}
    for r in found:
        by_city.setdefault(r["city"], []).append((r["kind"], r.get("beginQualifier")))
    assert by_city["city/tangerang-selatan"] == [
        ("stage-kind/e-government", None),
        ("stage-kind/preparation", None),
    ]
    assert by_city["city/wanasari"] == [
        ("stage-kind/preparation", "date-qualifier/approximate"),
        ("stage-kind/planning", None),
    ]


def test_cq15_after_observed_until_an_ongoing_stage_is_not_assumed(trajectories_kg):
    found = ours(records(trajectories_kg, "cq15-stage-in-year", year="2023"))
    assert [
        (r["city"], r["stage"], r["cycle"], r["ongoing"], r["observed"], r["end"]) for r in found
    ] == [
        ("city/giriwangi", "stage/giriwangi-implementation-2", "2", "true", "true", "2023"),
        (
            "city/tangerang-selatan",
            "stage/tangerang-selatan-implementation",
            "1",
            "true",
            "false",
            "2021",
        ),
        ("city/tirtalaya", "stage/tirtalaya-implementation", "1", "true", "false", "2022"),
    ]
    # within the observed years an ongoing stage counts as observed
    within = ours(records(trajectories_kg, "cq15-stage-in-year", year="2021"))
    assert ("city/tangerang-selatan", "true", "true") in {
        (r["city"], r["ongoing"], r["observed"]) for r in within
    }


def test_cq16_durations_lower_bounds_and_one_row_per_dating(trajectories_kg):
    found = records(
        trajectories_kg,
        "cq16-stage-durations",
        city=["tangerang-selatan", "tirtalaya", "wanasari", "giriwangi"],
    )
    assert [
        (r["stage"].removeprefix("stage/"), r["years"], r["lowerBound"], r["source"])
        + (r.get("beginQualifier"), r["cycle"])
        for r in found
    ] == [
        ("giriwangi-preparation", "1", "false", B, None, "1"),
        ("giriwangi-planning", "1", "false", B, None, "1"),
        ("giriwangi-implementation", "2", "false", B, None, "1"),
        ("giriwangi-planning-2", "1", "false", B, None, "2"),
        ("giriwangi-implementation-2", "2", "true", B, None, "2"),
        ("tangerang-selatan-preparation", "1", "false", PAPER, None, "1"),
        ("tangerang-selatan-planning", "1", "false", PAPER, None, "1"),
        ("tangerang-selatan-implementation", "3", "true", PAPER, None, "1"),
        ("tirtalaya-preparation", "1", "false", A, None, "1"),
        ("tirtalaya-implementation", "3", "true", A, None, "1"),
        ("wanasari-preparation", "1", "false", A, "date-qualifier/approximate", "1"),
        ("wanasari-planning", "1", "false", A, None, "1"),
        ("wanasari-planning", "1", "false", B, None, "1"),
        ("wanasari-implementation", "2", "false", B, None, "1"),
    ]
    wanasari = [(r["begin"], r["end"]) for r in found if r["stage"] == "stage/wanasari-planning"]
    assert wanasari == [("2016", "2017"), ("2017", "2018")]
    # the day-precision dates of Wanasari's implementation read as years
    implementation = next(r for r in found if r["stage"] == "stage/wanasari-implementation")
    assert (implementation["begin"], implementation["end"]) == ("2018", "2020")
    everyone = {r["city"] for r in records(trajectories_kg, "cq16-stage-durations")}
    assert everyone >= CITIES


def test_cq17_skipped_reordered_concurrent_second_cycle_not_recorded(trajectories_kg):
    found = ours(records(trajectories_kg, "cq17-trajectory-anomalies"))
    assert [
        (
            r["city"].removeprefix("city/"),
            r["anomaly"],
            r["kind"].removeprefix("stage-kind/"),
            r.get("stage"),
            r.get("otherStage"),
            r.get("cycle"),
            r.get("skip"),
        )
        for r in found
    ] == [
        (
            "batuwangi",
            "concurrent",
            "implementation",
            "stage/batuwangi-implementation",
            "stage/batuwangi-planning",
            None,
            None,
        ),
        ("giriwangi", "second-cycle", "planning", "stage/giriwangi-planning-2", None, "2", None),
        ("karangjati", "not-recorded", "implementation", None, None, None, None),
        (
            "karangjati",
            "reordered",
            "preparation",
            "stage/karangjati-planning",
            "stage/karangjati-preparation",
            None,
            None,
        ),
        ("tirtalaya", "skipped", "planning", None, None, None, "stage-skip/tirtalaya-planning"),
    ]
    # Tangerang Selatan went through every stage in order, once; Wanasari too (its sources
    # disagree on the years, not on the order)


def test_cq18_dominant_factors_per_stage_across_cities(trajectories_kg):
    found = records(
        trajectories_kg,
        "cq18-dominant-factors-by-stage",
        city=["tangerang-selatan", "tirtalaya", "wanasari", "giriwangi"],
    )
    assert [
        (r.get("stageKind"), r.get("cycle"), r["factor"], r["city"], r["source"]) for r in found
    ] == [
        (None, None, "factor/active-community-participation", "city/tangerang-selatan", PAPER),
        (None, None, "factor/budget", "city/wanasari", A),
        (None, None, "factor/leadership", "city/tangerang-selatan", PAPER),
        ("stage-kind/preparation", "1", "factor/leadership", "city/tangerang-selatan", PAPER),
        ("stage-kind/preparation", "1", "factor/leadership", "city/tirtalaya", A),
        ("stage-kind/planning", "2", "factor/community-approach", "city/giriwangi", B),
    ]
    # the city parameter keeps the others out
    only = records(trajectories_kg, "cq18-dominant-factors-by-stage", city=["giriwangi"])
    assert [r["influence"] for r in only] == [
        "factor-influence/giriwangi-community-approach-planning-2"
    ]


def test_cq19_years_from_joining_the_programme_to_each_later_stage(trajectories_kg):
    found = ours(records(trajectories_kg, "cq19-years-from-programme"))
    assert [
        (r["city"], r["cohortYear"], r["kind"], r["begin"], r["years"], r["source"]) for r in found
    ] == [
        ("city/tangerang-selatan", "2017", "stage-kind/planning", "2017", "0", PAPER),
        ("city/tangerang-selatan", "2017", "stage-kind/implementation", "2018", "1", PAPER),
        ("city/tirtalaya", "2018", "stage-kind/implementation", "2019", "1", A),
        ("city/wanasari", "2017", "stage-kind/planning", "2017", "0", B),
        ("city/wanasari", "2017", "stage-kind/implementation", "2018", "1", B),
    ]
    assert {r["membership"] for r in found if r["city"] == "city/tirtalaya"} == {
        "cohort-membership/gerakan-menuju-100-smart-city-2018-tirtalaya"
    }


def test_cq20_claims_by_kind_of_evidence(trajectories_kg):
    interviews = records(trajectories_kg, "cq20-claims-by-evidence", evidenceKind=["interview"])
    assert {(r["claim"], r["source"], r["locator"]) for r in interviews} >= {
        ("funding/tangerang-selatan-initial-funding", PAPER, "Tabel 1, no. 2"),
        ("factor-influence/wanasari-budget-fixture-source-b", B, "Table 1, no. 1"),
        ("attribution/tirtalaya-preparation-implementation-quick-wins", B, "Table 1, no. 1"),
    }
    assert {r["evidenceKind"] for r in interviews} == {"interview"}


def test_cq20_claims_by_source_and_kind(trajectories_kg):
    documents = records(
        trajectories_kg,
        "cq20-claims-by-evidence",
        source=["fixture-source-c"],
        evidenceKind=["document"],
    )
    assert [(r["claim"], r["evidence"]) for r in documents] == [
        ("cohort-membership/gerakan-menuju-100-smart-city-2017-wanasari", C),
        ("cohort-membership/gerakan-menuju-100-smart-city-2018-tirtalaya", C),
    ]
    from_b = records(trajectories_kg, "cq20-claims-by-evidence", source=[ID + B])
    assert {r["evidenceKind"] for r in from_b} == {"part", "interview", "observation"}
    assert ("interval/wanasari-planning-fixture-source-b", "Section 3") in {
        (r["claim"], r["locator"]) for r in from_b
    }
    assert "interval/wanasari-planning" not in {r["claim"] for r in from_b}
    paper = records(
        trajectories_kg,
        "cq20-claims-by-evidence",
        source=["azmi-djunaedi-2021"],
        evidenceKind=["part"],
    )
    assert {"interval/tangerang-selatan-planning", "stage/tangerang-selatan-planning"} <= {
        r["claim"] for r in paper
    }
    assert {r["source"] for r in paper} == {PAPER}


def test_cq21_each_disagreement_once_with_both_sources(trajectories_kg):
    found = ours(records(trajectories_kg, "cq21-source-disagreements"))
    assert [
        (r["city"], r["subject"], r["aspect"], r["valueA"], r["sourceA"], r["valueB"], r["sourceB"])
        for r in found
    ] == [
        ("city/wanasari", "factor/budget", "dominant", "true", A, "false", B),
        ("city/wanasari", "funding-source/apbd", "share", "1", A, "0.6", B),
        ("city/wanasari", "stage/wanasari-planning", "begin", "2016", A, "2017", B),
        ("city/wanasari", "stage/wanasari-planning", "end", "2017", A, "2018", B),
        (
            "city/wanasari",
            "transition/wanasari-planning-implementation",
            "year",
            "2017",
            A,
            "2018",
            B,
        ),
    ]


def test_cq21_lists_a_programme_dated_by_two_sources(trajectories_kg):
    """Bandung's Panic Button: detikJabar (2022) dates it from 2015, the regional secretary
    (Tribun Jabar and iNews, January 2023) from 2018; Antara reports him without a year and
    takes no side."""
    found = records(trajectories_kg, "cq21-source-disagreements")
    assert sorted(
        (r["aspect"], r["valueA"], r["sourceA"], r["valueB"], r["sourceB"])
        for r in found
        if r["subject"] == "programme/bandung-panic-button"
    ) == [
        ("begin", "2015", "source/bandung-detikjabar-2022", "2018", "source/bandung-inews-2023"),
        (
            "begin",
            "2015",
            "source/bandung-detikjabar-2022",
            "2018",
            "source/bandung-tribunjabar-2023",
        ),
    ]


def example_params(named):
    """The parameters of a named query at their examples (or defaults where none is given)."""
    params = {}
    for param in named.params:
        value = param.example or param.default
        if value is not None:
            params[param.name] = [value] if param.multiple else value
    return params


@pytest.mark.parametrize("name", sorted(library()))
def test_every_example_returns_rows(trajectories_kg, name):
    assert run_named(trajectories_kg, name, example_params(library()[name])).rows


@pytest.mark.parametrize("name", sorted(library()))
def test_same_answer_asserted_and_reasoned(
    trajectories_kg_asserted, trajectories_kg_reasoned, name
):
    """The queries read what the data asserts (the qualified forms, both stage-kind forms), so
    the OWL 2 RL closure changes no answer."""
    params = example_params(library()[name])
    for given in ({}, params):
        asserted = run_named(trajectories_kg_asserted, name, given).rows
        assert asserted == run_named(trajectories_kg_reasoned, name, given).rows
