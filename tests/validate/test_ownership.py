"""What a dataset may not touch: another municipality's resources, the ontology and its
schemes, an imported vocabulary, its own municipality's registry facts; and the checks run
on the whole city as it will be, so an added stage that overlaps one the graph holds is
caught. Each refusal with its exact message, in English and in Indonesian."""

import shutil

import pytest

from smartcity_kg.cli.main import main
from smartcity_kg.report import compact
from smartcity_kg.validate import validate

from .support import EXAMPLE, FIXTURES

CONTRIBUTIONS = FIXTURES / "contributions"


def _results(report):
    return [(r.severity, compact(r.focus), compact(r.value), r.message) for r in report.results]


@pytest.fixture
def graphs(tmp_path):
    copy = tmp_path / "graphs"
    shutil.copytree(EXAMPLE.parents[2] / "graphs", copy)
    return copy


OVERLAP = {
    "en": "It begins in 2016, but stage/tangerang-selatan-preparation-2015, a stage of the same "
    "kind and cycle of this municipality, lasts at least until 2017: two stages of one kind and "
    "cycle may share only their boundary year. If they are one stage dated by two sources, make "
    "them one stage with two intervals (time:hasTime twice, each with its own evidence); if the "
    "city went through this kind again, give the later stage sck:cycle 2 (or the next round's "
    "number).",
    "id": "Dimulai pada 2016, tetapi stage/tangerang-selatan-preparation-2015, tahap berjenis dan "
    "bersiklus sama milik kota/kabupaten ini, berlangsung paling tidak hingga 2017: dua tahap "
    "berjenis dan bersiklus sama hanya boleh berbagi tahun batasnya. Jika keduanya satu tahap "
    "yang diberi tahun oleh dua sumber, jadikan satu tahap dengan dua interval (time:hasTime dua "
    "kali, masing-masing dengan buktinya); jika kota melalui jenis tahap ini lagi, beri tahap "
    "yang kemudian sck:cycle 2 (atau nomor putarannya).",
}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_stage_that_overlaps_one_the_graph_holds_is_caught(context, lang):
    """The new stage (2015-2017) alone conforms; merged with South Tangerang as the graph
    holds it, the existing preparation stage (2016-2017) now overlaps it."""
    data = CONTRIBUTIONS / "tangerang-selatan-second-preparation.ttl"
    report = validate([data], context=context, lang=lang)
    assert _results(report) == [
        ("Violation", "stage/tangerang-selatan-preparation", "2016", OVERLAP[lang]),
    ]


def test_add_refuses_the_overlapping_stage_and_writes_nothing(graphs, capsys):
    data = CONTRIBUTIONS / "tangerang-selatan-second-preparation.ttl"
    before = (graphs / "tangerang-selatan.ttl").read_bytes()
    assert main(["add", str(data), "--graphs-dir", str(graphs)]) == 2
    assert capsys.readouterr().err == (
        "smartcity-kg: error: the graph <https://w3id.org/smartcity-kg/graph/tangerang-selatan> "
        f"({graphs / 'tangerang-selatan.ttl'}) exists already: to change that city, "
        "`smartcity-kg update` replaces its graph; for another graph, choose --name\n"
    )
    assert (graphs / "tangerang-selatan.ttl").read_bytes() == before


HIJACK = {
    "en": [
        'sck:City rdfs:label "Town"@en is refused: sck:City belongs to the ontology, which a '
        "dataset may use but not change.",
        "sck:PlanningStage rdfs:subClassOf sck:ImplementationStage is refused: sck:PlanningStage "
        "belongs to the ontology, which a dataset may use but not change.",
    ],
    "id": [
        'sck:City rdfs:label "Town"@en ditolak: sck:City milik ontologi, yang boleh dipakai '
        "dataset tetapi tidak boleh diubah.",
        "sck:PlanningStage rdfs:subClassOf sck:ImplementationStage ditolak: sck:PlanningStage "
        "milik ontologi, yang boleh dipakai dataset tetapi tidak boleh diubah.",
    ],
}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_dataset_may_not_change_the_ontology(context, lang):
    report = validate([CONTRIBUTIONS / "ontology-hijack.ttl"], context=context, lang=lang)
    assert _results(report) == [
        ("Violation", "sck:City", "Town", HIJACK[lang][0]),
        ("Violation", "sck:PlanningStage", "sck:ImplementationStage", HIJACK[lang][1]),
    ]


def test_add_refuses_the_ontology_change_and_writes_nothing(graphs, capsys):
    before = sorted(graphs.iterdir())
    assert (
        main(["add", str(CONTRIBUTIONS / "ontology-hijack.ttl"), "--graphs-dir", str(graphs)]) == 1
    )
    out = capsys.readouterr()
    assert out.out.startswith("Conforms: no (2 violation(s), 0 warning(s), 0 info)")
    assert out.err == "smartcity-kg: not added: the dataset does not conform\n"
    assert sorted(graphs.iterdir()) == before


def _not_yours(triple: str, stage: str, lang: str) -> str:
    if lang == "en":
        return (
            f"Not this dataset's municipality: {triple} is about {stage}, which belongs to "
            "city/tangerang-selatan; this dataset speaks for city/contoh. A dataset may describe "
            "its own municipality's resources and the new ones it mints, and refer to anything "
            "that exists; city/tangerang-selatan's own data is changed by updating "
            "city/tangerang-selatan."
        )
    return (
        f"Bukan kota/kabupaten dataset ini: {triple} adalah tentang {stage}, milik "
        "city/tangerang-selatan; dataset ini mewakili city/contoh. Dataset boleh menggambarkan "
        "sumber daya kota/kabupatennya sendiri dan sumber daya baru yang dibuatnya, serta "
        "merujuk apa pun yang sudah ada; data city/tangerang-selatan sendiri diubah dengan "
        "memperbarui city/tangerang-selatan."
    )


@pytest.mark.parametrize("lang", ["en", "id"])
def test_labels_on_another_citys_stages_are_refused_and_nothing_else_is_said(
    context, tmp_path, lang
):
    data = tmp_path / "contoh.ttl"
    data.write_text(
        EXAMPLE.read_text(encoding="utf-8")
        + (CONTRIBUTIONS / "labels-on-another-city.ttl").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    report = validate([data], context=context, lang=lang)
    planning = "stage/tangerang-selatan-planning"
    preparation = "stage/tangerang-selatan-preparation"
    assert _results(report) == [
        (
            "Violation",
            planning,
            "Perencanaan",
            _not_yours(f'{planning} rdfs:label "Perencanaan"@id', planning, lang),
        ),
        (
            "Violation",
            preparation,
            "Persiapan",
            _not_yours(f'{preparation} rdfs:label "Persiapan"@id', preparation, lang),
        ),
        (
            "Violation",
            preparation,
            "Prep",
            _not_yours(f'{preparation} rdfs:label "Prep"@en', preparation, lang),
        ),
    ]


def test_a_new_resource_of_another_city_is_refused(context, tmp_path):
    data = tmp_path / "contoh.ttl"
    data.write_text(
        EXAMPLE.read_text(encoding="utf-8")
        + "\nprogramme:tangerang-selatan-lapor sck:programmeOf city:tangerang-selatan .\n",
        encoding="utf-8",
    )
    report = validate([data], context=context)
    triple = "programme/tangerang-selatan-lapor sck:programmeOf city/tangerang-selatan"
    assert [(r.severity, r.message) for r in report.results] == [
        (
            "Violation",
            f"Not this dataset's municipality: {triple} is about "
            "programme/tangerang-selatan-lapor, which belongs to city/tangerang-selatan; this "
            "dataset speaks for city/contoh. A dataset may describe its own municipality's "
            "resources and the new ones it mints, and refer to anything that exists; "
            "city/tangerang-selatan's own data is changed by updating city/tangerang-selatan.",
        )
    ]


REGISTRY = {
    "en": [
        'city/tangerang-selatan rdfs:label "Kota Tangsel"@id is refused: it would change the '
        'name of city/tangerang-selatan that the registry gives ("Kota Tangerang Selatan"@id); '
        "a dataset may add statements about its municipality but not change its name, code, "
        "kind or province.",
        "city/tangerang-selatan sck:inProvince province/jawa-barat is refused: it would change "
        "the province of city/tangerang-selatan that the registry gives (province/banten); a "
        "dataset may add statements about its municipality but not change its name, code, kind "
        "or province.",
    ],
    "id": [
        'city/tangerang-selatan rdfs:label "Kota Tangsel"@id ditolak: pernyataan ini akan '
        "mengubah nama city/tangerang-selatan yang diberikan registri "
        '("Kota Tangerang Selatan"@id); dataset boleh menambah pernyataan tentang '
        "kota/kabupatennya tetapi tidak boleh mengubah nama, kode, jenis, atau provinsinya.",
        "city/tangerang-selatan sck:inProvince province/jawa-barat ditolak: pernyataan ini akan "
        "mengubah provinsi city/tangerang-selatan yang diberikan registri (province/banten); "
        "dataset boleh menambah pernyataan tentang kota/kabupatennya tetapi tidak boleh "
        "mengubah nama, kode, jenis, atau provinsinya.",
    ],
}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_registry_facts_may_be_restated_not_changed(context, lang):
    """The same English label and kind pass, and so does a new neighbour; the new
    Indonesian name and the other province are refused."""
    report = validate([CONTRIBUTIONS / "registry-change.ttl"], context=context, lang=lang)
    assert _results(report) == [
        ("Violation", "city/tangerang-selatan", "Kota Tangsel", REGISTRY[lang][0]),
        ("Violation", "city/tangerang-selatan", "province/jawa-barat", REGISTRY[lang][1]),
    ]


def test_the_example_links_a_shared_cohort_to_its_own_city(context):
    """`cohort:... sck:includesMunicipality city:contoh` is about a shared resource and
    points at the dataset's city: accepted."""
    assert "sck:includesMunicipality city:contoh" in EXAMPLE.read_text(encoding="utf-8")
    assert validate([EXAMPLE], context=context).results == []


PAPER = "<https://w3id.org/smartcity-kg/id/source/azmi-djunaedi-2021>"


def test_a_shared_resource_may_be_restated_not_changed(context, tmp_path):
    """A city's file may describe the sources it cites as the graph already does (the
    paper's title, restated): accepted. A new title for the paper is the shared graph's to
    give: refused, and the message names that graph."""
    data = tmp_path / "contoh.ttl"
    data.write_text(
        EXAMPLE.read_text(encoding="utf-8")
        + f'\n{PAPER} <http://purl.org/dc/terms/title> "Perkembangan Smart City Tangerang '
        'Selatan Tahun 2016-2021"@id .\n'
        + f'{PAPER} <http://purl.org/dc/terms/title> "Another title"@en .\n',
        encoding="utf-8",
    )
    report = validate([data], context=context)
    assert [(r.severity, r.message) for r in report.results] == [
        (
            "Violation",
            'source/azmi-djunaedi-2021 dcterms:title "Another title"@en is refused: '
            "source/azmi-djunaedi-2021 belongs to the shared graph "
            "<https://w3id.org/smartcity-kg/graph/sources>, which every municipality shares; "
            "a dataset may only link it to its own municipality (city/contoh) or its resources.",
        )
    ]
