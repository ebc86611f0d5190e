"""The trajectory graphs of eleven municipalities (graphs/<municipality>.ttl, model v2).

Each file dates the municipality's stages either by a source or by the national programme's
stage criteria (sck:CriterionFulfilment), and every claim resource carries its evidence. The
dataset is loaded from a temporary copy of ontology/ and graphs/: the live folder is never
written, and files that others edit at the same time are read once, as copied."""

import shutil
from pathlib import Path

import pytest

from smartcity_kg.iris import graph_iri
from smartcity_kg.query import query
from smartcity_kg.reason import reason
from smartcity_kg.store.load import load, ontology_files

ROOT = Path(__file__).resolve().parents[2]
ID = "https://w3id.org/smartcity-kg/id/"
PREFIXES = """
PREFIX sck: <https://w3id.org/smartcity-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX city: <https://w3id.org/smartcity-kg/id/city/>
PREFIX stage: <https://w3id.org/smartcity-kg/id/stage/>
PREFIX plan: <https://w3id.org/smartcity-kg/id/plan/>
PREFIX policy: <https://w3id.org/smartcity-kg/id/policy/>
PREFIX programme: <https://w3id.org/smartcity-kg/id/programme/>
PREFIX acttype: <https://w3id.org/smartcity-kg/id/act-type/>
PREFIX criterion: <https://w3id.org/smartcity-kg/id/stage-criterion/>
PREFIX stagekind: <https://w3id.org/smartcity-kg/id/stage-kind/>
"""

# file stem -> municipality slug (kota: id/city/<slug>; kabupaten: id/city/kabupaten-<slug>)
CITIES = {
    "makassar": "makassar",
    "bandung": "bandung",
    "semarang": "semarang",
    "kabupaten-banyuwangi": "kabupaten-banyuwangi",
    "kabupaten-sleman": "kabupaten-sleman",
    "bekasi": "bekasi",
    "bogor": "bogor",
    "tangerang": "tangerang",
    "jambi": "jambi",
    "surabaya-trajectory": "surabaya",
    "kabupaten-sidoarjo": "kabupaten-sidoarjo",
}
COHORT_2017 = sorted(set(CITIES.values()) - {"surabaya"})

# The claim resources of a file: each must say where it comes from.
CLAIM_CLASSES = """
    sck:EGovernmentPeriod sck:PreparationStage sck:PlanningStage sck:ImplementationStage
    sck:StageTransition sck:EnablerAttribution sck:DriverAttribution sck:LegalAct sck:Plan
    sck:Programme sck:Application sck:CriterionFulfilment sck:FactorInfluence sck:AwardConferral
    time:ProperInterval
"""


def _copy_dataset(root: Path) -> list[Path]:
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(
        ROOT / "graphs", root / "graphs", ignore=shutil.ignore_patterns("registry-source")
    )
    return ontology_files(root / "ontology") + [root / "graphs"]


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[Path]:
    return _copy_dataset(tmp_path_factory.mktemp("dataset"))


@pytest.fixture(scope="module")
def kg(sources):
    return load(sources)


def ask(kg, body: str) -> bool:
    return query(kg, PREFIXES + f"ASK {{ {body} }}").boolean


def select(kg, sparql: str) -> list[tuple]:
    rows = query(kg, PREFIXES + sparql).rows
    return [tuple(None if term is None else term.value for term in row) for row in rows]


def test_each_file_is_its_own_named_graph(kg):
    loaded = {g.iri for g in kg.graphs()}
    assert {graph_iri(stem) for stem in CITIES} <= loaded


def test_the_dataset_reasons(sources):
    kg = load(sources)
    reason(kg)
    assert ask(kg, "GRAPH <https://w3id.org/smartcity-kg/graph/inferred> { ?s ?p ?o }")


@pytest.mark.parametrize("stem", CITIES)
def test_a_stage_with_an_interval_with_a_year(kg, stem):
    assert ask(
        kg,
        f"""GRAPH <{graph_iri(stem)}> {{
            ?stage sck:stageOf city:{CITIES[stem]} ; time:hasTime ?interval .
            ?interval time:hasBeginning ?begin .
            {{ ?begin time:inXSDgYear ?year }} UNION {{ ?begin time:inXSDDate ?date }}
        }}""",
    )


@pytest.mark.parametrize("stem", CITIES)
def test_every_claim_resource_has_evidence(kg, stem):
    graph = graph_iri(stem)
    claims = select(
        kg,
        f"""SELECT DISTINCT ?x WHERE {{ GRAPH <{graph}> {{
            {{ ?x a ?class VALUES ?class {{ {CLAIM_CLASSES} }} }}
            UNION {{ ?stage sck:stageOf ?city ; time:hasTime ?x }}
        }} }}""",
    )
    assert len(claims) >= 20
    missing = select(
        kg,
        f"""SELECT DISTINCT ?x WHERE {{ GRAPH <{graph}> {{
            {{ ?x a ?class VALUES ?class {{ {CLAIM_CLASSES} }} }}
            UNION {{ ?stage sck:stageOf ?city ; time:hasTime ?x }}
            FILTER NOT EXISTS {{ ?x prov:wasDerivedFrom ?evidence }}
        }} }}""",
    )
    assert missing == []


@pytest.mark.parametrize("stem", CITIES)
def test_evidence_is_a_located_web_source_or_a_fulfilment_in_the_file(kg, stem):
    """Every piece of evidence is a part (with its locator) of a web source whose URL the file
    gives, or a criterion fulfilment of the same file."""
    unresolved = select(
        kg,
        f"""SELECT DISTINCT ?e WHERE {{ GRAPH <{graph_iri(stem)}> {{
            ?claim prov:wasDerivedFrom ?e .
            FILTER NOT EXISTS {{ ?e a sck:CriterionFulfilment }}
            FILTER NOT EXISTS {{
                ?e a sck:SourcePart ; sck:locator ?locator ; dcterms:isPartOf ?source .
                ?source a sck:DocumentSource ; dcterms:source ?url .
            }}
        }} }}""",
    )
    assert unresolved == []


@pytest.mark.parametrize("stem", CITIES)
def test_criteria_dated_intervals_begin_in_the_first_year_a_criterion_was_met(kg, stem):
    rows = select(
        kg,
        f"""SELECT ?interval (MIN(STR(?met)) AS ?first) (SAMPLE(STR(?begin)) AS ?year)
        WHERE {{ GRAPH <{graph_iri(stem)}> {{
            ?stage sck:stageKind ?kind ; time:hasTime ?interval .
            ?interval prov:wasDerivedFrom ?f ; time:hasBeginning/time:inXSDgYear ?begin .
            ?f a sck:CriterionFulfilment ; sck:fulfilmentOf city:{CITIES[stem]} ;
               sck:criterion ?criterion ; sck:metInYear ?met .
          }}
          ?criterion sck:marksStage ?kind .
        }} GROUP BY ?interval""",
    )
    if stem == "surabaya-trajectory":
        assert rows == []  # no programme criterion is dated for Surabaya
        return
    assert len(rows) >= 2
    for interval, first, year in rows:
        assert first == year, interval


@pytest.mark.parametrize("slug", COHORT_2017)
def test_readiness_is_evidenced_by_the_cohort_membership(kg, slug):
    assert ask(
        kg,
        f"""?f sck:fulfilmentOf city:{slug} ; sck:criterion criterion:readiness-assessment ;
               sck:metInYear "2017"^^xsd:gYear ;
               sck:evidencedBy <{ID}cohort-membership/gerakan-menuju-100-smart-city-2017-{slug}> .
            <{ID}cohort-membership/gerakan-menuju-100-smart-city-2017-{slug}>
                a sck:CohortMembership .""",
    )


@pytest.mark.parametrize("stem", CITIES)
def test_the_registry_keeps_label_and_type(kg, stem):
    assert not ask(kg, f"GRAPH <{graph_iri(stem)}> {{ city:{CITIES[stem]} rdfs:label|a ?x }}")
    assert ask(kg, f"GRAPH <{graph_iri(stem)}> {{ city:{CITIES[stem]} rdfs:comment ?c }}")


# A sample of concrete facts, each with the URL of the web page it rests on.
FACTS = {
    "sleman-perbup-1-1-2018-masterplan-2017-2026": (
        "kabupaten-sleman",
        """policy:kabupaten-sleman-perbup-1-1-2018 eli:type_document acttype:perbup ;
               eli:number "1.1" ;
               dcterms:issued "2018"^^xsd:gYear ; sck:policyOf city:kabupaten-sleman ;
               dcterms:title "Masterplan Smart City Kabupaten Sleman Tahun 2017-2026"@id ;
               sck:issuedInStage stage:kabupaten-sleman-implementation ; prov:wasDerivedFrom ?part .
           plan:kabupaten-sleman-masterplan-2017-2026
               time:hasTime/time:hasBeginning/time:inXSDgYear "2017"^^xsd:gYear ;
               time:hasTime/time:hasEnd/time:inXSDgYear "2026"^^xsd:gYear .
           ?f sck:criterion criterion:masterplan-regulation ; sck:metInYear "2018"^^xsd:gYear ;
              sck:evidencedBy policy:kabupaten-sleman-perbup-1-1-2018 .""",
        "https://kominfo.slemankab.go.id/diskominfo-karanganyar-kulik-implementasi-smart-city-di-sleman/",
    ),
    "sleman-second-planning-cycle-2021": (
        "kabupaten-sleman",
        """stage:kabupaten-sleman-planning-cycle-2 sck:cycle 2 ; sck:stageKind stagekind:planning ;
               time:hasTime ?i .
           stage:kabupaten-sleman-implementation
               sck:nextStage stage:kabupaten-sleman-planning-cycle-2 .
           ?i time:hasBeginning/time:inXSDgYear "2021"^^xsd:gYear ; prov:wasDerivedFrom ?part .""",
        "https://kominfo.slemankab.go.id/masterplan-smart-city-disusun-melalui-4-tahapan-bimtek/",
    ),
    "bekasi-perwal-110-2016": (
        "bekasi",
        """policy:bekasi-perwal-110-2016 eli:type_document acttype:perwal ; eli:number "110" ;
               dcterms:issued "2016"^^xsd:gYear ;
               dcterms:title "Pengembangan Kota Cerdas Bekasi"@id ;
               prov:wasDerivedFrom ?part .
           ?f sck:criterion criterion:masterplan-regulation ; sck:metInYear "2016"^^xsd:gYear ;
              sck:evidencedBy policy:bekasi-perwal-110-2016 .
           stage:bekasi-implementation time:hasTime ?i .
           ?i prov:wasDerivedFrom ?f ; time:hasBeginning/time:inXSDgYear "2016"^^xsd:gYear .""",
        "https://infobekasi.co/pembentukan-dewan-kota-cerdas-ciptakan-perencanaan-tepat-sasaran/",
    ),
    "bekasi-poc-enabled-early-implementation": (
        "bekasi",
        """?t sck:fromStage stage:bekasi-preparation ; sck:toStage stage:bekasi-implementation ;
              time:hasTime/time:inXSDDate "2016-03-03"^^xsd:date ; sck:qualifiedEnabler ?a .
           ?a sck:enabler programme:bekasi-patriot-operation-center ;
              prov:wasDerivedFrom ?part .""",
        "https://megapolitan.antaranews.com/amp/berita/19966/@antmegapolitan",
    ),
    "bandung-board-appointed-2014": (
        "bandung",
        """stage:bandung-preparation time:hasTime ?i .
           ?i time:hasBeginning/time:inXSDDate "2014-08-29"^^xsd:date ;
              prov:wasDerivedFrom ?part .""",
        "https://soc.telkomuniversity.ac.id/smart-city-bandung-not-just-a-dream",
    ),
    "makassar-masterplan-completed-2017": (
        "makassar",
        """?f sck:fulfilmentOf city:makassar ; sck:criterion criterion:masterplan ;
              sck:metInYear "2017"^^xsd:gYear ;
              sck:evidencedBy plan:makassar-masterplan-smart-city ;
              prov:wasDerivedFrom ?part .""",
        "https://kominfo.go.id/index.php/content/detail/11489/siaran-pers-no-223hmkominfo112017-tentang-"
        "tahap-pertama-gerakan-menuju-100-smart-city-2017-24-kotakabupaten-berhasil-menyelesaikan-"
        "smart-city-masterplan/0/siaran_pers",
    ),
    "makassar-preparation-from-2014": (
        "makassar",
        """stage:makassar-preparation time:hasTime ?i .
           ?i time:hasBeginning/time:inXSDgYear "2014"^^xsd:gYear ; prov:wasDerivedFrom ?part .""",
        "https://opengovasia.com/exclusive-working-towards-making-makassar-a-world-class-smart-city/",
    ),
    "semarang-start-2013": (
        "semarang",
        """stage:semarang-preparation time:hasTime ?i .
           ?i time:hasBeginning/time:inXSDgYear "2013"^^xsd:gYear ; prov:wasDerivedFrom ?part .""",
        "https://dotsemarang.blogspot.com/2017/10/perjalanan-semarang-smart-city-dari.html",
    ),
    "banyuwangi-smart-kampung-enabled-planning": (
        "kabupaten-banyuwangi",
        """?t sck:fromStage stage:kabupaten-banyuwangi-preparation ;
              sck:toStage stage:kabupaten-banyuwangi-planning ; sck:qualifiedEnabler ?a .
           ?a sck:enabler programme:kabupaten-banyuwangi-smart-kampung ;
              prov:wasDerivedFrom ?part .""",
        "https://news.detik.com/berita-jawa-timur/d-3508970/kemenkominfo-pilih-smart-kampung-banyuwangi-"
        "jadi-smart-city",
    ),
    "bogor-perda-9-2018": (
        "bogor",
        """policy:bogor-perda-9-2018 eli:type_document acttype:perda ; eli:number "9" ;
               dcterms:issued "2018"^^xsd:gYear ; prov:wasDerivedFrom ?part .""",
        "https://vdocuments.mx/berita-daerah-kota-bogor-dasar-negara-republik-indonesia-tahun-1945-5-"
        "perangkat.html",
    ),
    "tangerang-perwal-108-2018": (
        "tangerang",
        """policy:tangerang-perwal-108-2018 eli:type_document acttype:perwal ; eli:number "108" ;
               dcterms:issued "2018"^^xsd:gYear ; prov:wasDerivedFrom ?part .""",
        "https://bappeda.tangerangkota.go.id/berita/bappeda-lakukan-penyusunan-master-plan-smart-city",
    ),
    "jambi-perda-1-2019": (
        "jambi",
        """policy:jambi-perda-1-2019 eli:type_document acttype:perda ; eli:number "1" ;
               dcterms:issued "2019"^^xsd:gYear ; prov:wasDerivedFrom ?part .""",
        "http://mediajambi.com/kemenkominfo-ri-evaluasi-progres-smart-city",
    ),
    "surabaya-e-government-2002": (
        "surabaya-trajectory",
        """stage:surabaya-e-government time:hasTime ?i .
           ?i time:hasBeginning/time:inXSDgYear "2002"^^xsd:gYear ; prov:wasDerivedFrom ?part .""",
        "https://suarasurabaya.net/infoteknologi/2018/Pelopori-e-Government-Pemkot-Surabaya-Sudah-"
        "Ciptakan-Ratusan-Aplikasi",
    ),
    "surabaya-e-government-2003": (
        "surabaya-trajectory",
        """stage:surabaya-e-government time:hasTime ?i .
           ?i time:hasBeginning/time:inXSDgYear "2003"^^xsd:gYear ; prov:wasDerivedFrom ?part .""",
        "https://publicadministration.un.org/en/Research/Case-Studies/unpsacases/ctl/"
        "NominationProfilev2014/mid/1170/id/2970",
    ),
    "sidoarjo-perbup-46-2018": (
        "kabupaten-sidoarjo",
        """policy:kabupaten-sidoarjo-perbup-46-2018 eli:type_document acttype:perbup ;
               eli:number "46" ;
               dcterms:issued "2018"^^xsd:gYear ;
               sck:issuedInStage stage:kabupaten-sidoarjo-implementation ;
               prov:wasDerivedFrom ?part .""",
        "https://vdokumen.com/bupati-rakyat-daerah-kabupaten-sidoarjo-dalam-penyelenggaraan-urusan-"
        "pemerintahan.html",
    ),
}


@pytest.mark.parametrize("fact", FACTS)
def test_a_fact_with_its_source(kg, fact):
    stem, pattern, url = FACTS[fact]
    assert ask(
        kg,
        f"""GRAPH <{graph_iri(stem)}> {{
            {pattern}
            ?part dcterms:isPartOf ?source . ?source dcterms:source <{url}> .
        }}""",
    )
