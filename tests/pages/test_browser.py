"""The pages in a real browser (Debian's headless Chromium, driven by Playwright) against a
real server: the city timeline, the language switch, YASGUI running a named query, the
comparison and the validation upload. Every request must go to the server itself; a
screenshot of each page is kept in tests/artifacts/."""

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
        ("implementation", "2018–2021 (ongoing)"),
    ]
    assert page.locator("#main svg.timeline desc").text_content() == (
        "South Tangerang City: preparation 2016–2017; planning 2017–2018; "
        "implementation 2018–2021 (ongoing)."
    )
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
    assert page.locator("#main svg.timeline g.stage").count() == 3
    header = page.locator("table.factor-table thead th").all_inner_texts()
    assert header == ["Group", "Factor", "South Tangerang City", "Surabaya City"]
    collaboration = page.locator("table.factor-table tbody tr", has_text="multi-party")
    assert collaboration.locator("td").all_inner_texts()[1:] == [
        "Kerja Sama Berbagai Pihak finding C.3, Tabel 3",
        "Kolaborasi Berbagai Pihak proposition Tabel 3",
    ]
    keep(page, "compare")


def test_validation_page_reports_the_violation(page, server):
    page.goto(server + "/validation?lang=id")
    page.set_input_files("#file", str(FIXTURES / "upload-invalid.ttl"))
    page.get_by_role("button", name="Periksa").click()
    page.locator("table.report").wait_for()
    assert page.locator("p.violations").inner_text() == "Ditemukan 2 masalah."
    first = page.locator("table.report tbody tr").first.locator("td").all_inner_texts()
    assert first[:3] == [
        "Pelanggaran",
        compact(NamedNode(ID + "stage/kota-uji-preparation")),
        "time:hasTime",
    ]
    assert first[4].startswith("Tahap memiliki tepat satu interval (time:hasTime)")
    link = page.locator("table.report td.focus a").first
    assert link.get_attribute("href") == "/id/stage/kota-uji-preparation?lang=id"
    downloads = page.locator("a[download]")
    assert downloads.nth(1).get_attribute("download") == "validation-report.ttl"
    assert downloads.nth(2).get_attribute("download") == "validation-report.json"
    keep(page, "validation-report")
