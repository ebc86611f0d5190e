"""The pages in a real browser (Debian's headless Chromium, driven by Playwright) against a
real server: the city timeline, the language switch, YASGUI running a named query, the
comparison, the national overview and its filters, a model-v2 city, and the validation
upload. Every request must go to the server itself; a screenshot of each page is kept in
tests/artifacts/."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pyoxigraph import NamedNode

from smartcity_kg.report import compact

from .conftest import ARTIFACTS, FIXTURES, ID

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server) -> Iterator[Page]:
    """A fresh page (English first) that records every request it makes; after the test,
    each must have gone to the server."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    requested: list[str] = []
    opened.on("request", lambda request: requested.append(request.url))
    yield opened
    context.close()
    assert requested
    assert [
        u for u in requested if not u.startswith(server + "/") and not u.startswith("data:")
    ] == []


def keep(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_city_page_shows_three_stages_with_their_years(page, server):
    page.goto(server + "/id/city/tangerang-selatan")
    stages = page.locator("#main svg.timeline g.stage")
    assert stages.count() == 3
    shown = [
        (
            stages.nth(i).get_attribute("data-kind"),
            stages.nth(i).locator("text").nth(1).text_content(),
        )
        for i in range(3)
    ]
    assert shown == [
        ("preparation", "2016–2017"),
        ("planning", "2017–2018"),
        ("implementation", "2018–2021 (ongoing, ≥ 3 years)"),
    ]
    assert page.locator("#main svg.timeline desc").text_content() == (
        "South Tangerang City: preparation 2016–2017; planning 2017–2018; "
        "implementation 2018–2021 (ongoing, ≥ 3 years)."
    )
    # the ongoing stage is open-ended: its faded end reaches past the bar
    open_end = page.locator("#main svg.timeline g.stage.ongoing g.open-end rect")
    bar = page.locator("#main svg.timeline g.stage.ongoing > rect").first
    assert open_end.count() == 1
    end_of_bar = bar.bounding_box()["x"] + bar.bounding_box()["width"]
    assert open_end.bounding_box()["x"] == pytest.approx(end_of_bar, abs=1)
    assert open_end.bounding_box()["width"] > 10
    keep(page, "city-tangerang-selatan")


def test_language_switch_changes_labels_by_keyboard(page, server):
    page.goto(server + "/id/city/tangerang-selatan")
    assert page.locator("h1").inner_text() == "South Tangerang City"
    switch = page.locator("nav.languages a[hreflang=id]")
    switch.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/id/city/tangerang-selatan?lang=id")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Kota Tangerang Selatan"
    assert page.locator("#transitions").inner_text() == "Perpindahan tahap"
    lanes = page.locator("#main svg.timeline g.stage > text:first-of-type")
    assert lanes.all_text_contents() == ["persiapan", "perencanaan", "implementasi"]
    # the chosen language stays when following a link
    page.locator("#main table a", has_text="persiapan → perencanaan").click()
    assert page.locator("h1").inner_text() == (
        "Tangerang Selatan: perpindahan tahap persiapan menuju tahap perencanaan (2017)"
    )
    keep(page, "language-switch")


def test_yasgui_runs_a_named_query(page, server):
    page.goto(server + "/sparql?tab=cq01-stages")
    active = page.locator(".tabPanel.active")
    assert page.locator(".tabsList .tab.active span").first.text_content() == "cq01-stages"
    active.locator(".yasqe_queryButton").click()
    rows = active.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for(timeout=20_000)
    assert rows.count() == 3
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(3)]
    years = [[c.split('"')[1] for c in row if c.startswith('"20')] for row in cells]
    assert years == [["2016", "2017"], ["2017", "2018"], ["2018", "2021"]]
    keep(page, "yasgui-cq01")


def test_comparison_page_shows_two_cities(page, server):
    page.goto(server + "/compare")
    page.get_by_label("South Tangerang City").check()
    page.get_by_label("Surabaya City").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/compare?city=*")
    cities = page.locator("#main svg.timeline text.city")
    assert cities.all_text_contents() == ["South Tangerang City", "Surabaya City"]
    tangsel = f'#main svg.timeline g.stage[data-city="{ID}city/tangerang-selatan"]'
    assert page.locator(tangsel).count() == 3
    header = page.locator("table.factor-table thead th").all_inner_texts()
    assert header == ["Group", "Factor", "South Tangerang City", "Surabaya City"]
    collaboration = page.locator("table.factor-table tbody tr", has_text="multi-party")
    cells = collaboration.locator("td").all_inner_texts()[1:]
    assert cells[0] == "Kerja Sama Berbagai Pihak finding C.3, Tabel 3"
    assert cells[1].startswith("Kolaborasi Berbagai Pihak proposition Tabel 3")
    keep(page, "compare")


def test_validation_page_reports_the_violation(page, server):
    page.goto(server + "/validation?lang=id")
    page.set_input_files("#file", str(FIXTURES / "upload-invalid.ttl"))
    page.get_by_role("button", name="Periksa").click()
    page.locator("table.report").wait_for()
    assert page.locator("p.violations").inner_text() == "Ditemukan 1 masalah."
    first = page.locator("table.report tbody tr").first.locator("td").all_inner_texts()
    assert first[:3] == [
        "Pelanggaran",
        compact(NamedNode(ID + "stage/kota-uji-preparation")),
        "time:hasTime",
    ]
    assert first[4].startswith("Tahap memiliki interval (time:hasTime)")
    link = page.locator("table.report td.focus a").first
    assert link.get_attribute("href") == "/id/stage/kota-uji-preparation?lang=id"
    downloads = page.locator("a[download]")
    assert downloads.nth(1).get_attribute("download") == "validation-report.ttl"
    assert downloads.nth(2).get_attribute("download") == "validation-report.json"
    keep(page, "validation-report")


def rows_shown(page: Page) -> dict[str, list[str]]:
    """The overview table's rows by municipality IRI: their cells' text."""
    found = {}
    for row in page.locator("table.overview tbody tr[data-city]").all():
        found[row.get_attribute("data-city")] = row.locator("th, td").all_inner_texts()
    return found


def test_overview_filters_without_script(page, server):
    page.goto(server + "/")
    page.get_by_role("link", name="National overview").first.click()
    page.wait_for_url("**/overview")
    everything = rows_shown(page)
    assert ID + "city/tangerang-selatan" in everything
    assert ID + "city/kabupaten-aceh-barat" not in everything
    tangsel = everything[ID + "city/tangerang-selatan"]
    assert tangsel[2] == "Banten Province"
    assert "2017 cohort" in tangsel[3]
    assert "implementation: 2018–2021 (ongoing)" in tangsel[4]
    chart = page.locator("#main svg.timeline")
    ongoing = chart.locator(f'g.stage.ongoing[data-city="{ID}city/tangerang-selatan"]')
    assert ongoing.locator("g.open-end").count() == 1
    # filter by province with the plain form
    page.select_option("#filter-province", label="Banten Province")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/overview?province=banten&cohort=")
    banten = rows_shown(page)
    assert ID + "city/tangerang-selatan" in banten and len(banten) < len(everything)
    assert {cells[2] for cells in banten.values()} == {"Banten Province"}
    assert page.locator("#filter-province").input_value() == "banten"
    keep(page, "overview-banten")
    # then by cohort, across provinces
    page.select_option("#filter-province", value="")
    page.select_option("#filter-cohort", value="gerakan-menuju-100-smart-city-2018")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**cohort=gerakan-menuju-100-smart-city-2018")
    cohort = rows_shown(page)
    assert ID + "city/kota-contoh-dua" in cohort and ID + "city/tangerang-selatan" not in cohort
    assert all("2018 cohort" in cells[3] for cells in cohort.values())
    csv_link = page.get_by_role("link", name="Download these rows as CSV")
    assert (
        csv_link.get_attribute("href") == "/overview.csv?cohort=gerakan-menuju-100-smart-city-2018"
    )
    page.goto(server + "/overview")
    keep(page, "overview")


def test_model_v2_city_shows_datings_skips_and_open_ends(page, server):
    page.goto(server + "/id/city/kota-contoh-dua?lang=id")
    datings = page.locator("table.datings tbody tr")
    assert datings.nth(3).locator("td").first.inner_text() == "dilewati"
    assert page.locator("#main svg.timeline g.skipped").count() == 1
    assert page.locator("#main svg.timeline g.stage.ongoing g.open-end").count() == 1
    assert page.locator("#main svg.timeline g.stage.uncertain").count() == 3
    keep(page, "city-model-v2")


def test_api_docs_render_with_the_network_closed(page, server):
    """Swagger UI comes from the server itself (every request is checked by the `page`
    fixture to have gone to it) and renders the OpenAPI document's operations."""
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("smartcity-kg")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/sparql" in paths
    assert any(p.startswith("/queries/") for p in paths)
    keep(page, "api-docs")
