"""Real-browser tests: headless Debian Chromium driven by Selenium against the app over HTTP."""

from __future__ import annotations

import os
import shutil
import threading
import urllib.parse

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip("chromium and chromedriver are not installed (scripts/test.sh installs them)",
                allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402
from waitress.server import create_server  # noqa: E402

from tests.test_e2e import free_port  # noqa: E402


@pytest.fixture(scope="module")
def base_url(app):
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{port}"
    server.close()


def chrome(profile, phone: bool = False, javascript: bool = True):  # type: ignore[no-untyped-def]
    """Headless Chromium: a 1280 px desktop window, or a 390 x 844 phone viewport (emulated: a
    window cannot be narrower than 500 px), with or without JavaScript."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1400", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    if phone:
        opts.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2, "touch": True}})
    if not javascript:
        opts.add_argument("--blink-settings=scriptEnabled=false")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chrome(tmp_path_factory.mktemp("chrome"))
    yield driver
    driver.quit()


def total(driver) -> int:
    return int(driver.find_element(By.ID, "total").text.replace(",", ""))


def args(driver) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query)


def test_search_facets_chips_and_back(browser, base_url) -> None:
    wait = WebDriverWait(browser, 10)
    browser.get(base_url + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    everything = total(browser)
    box = browser.find_element(By.ID, "q")
    box.send_keys("الرئيس", Keys.ENTER)
    wait.until(EC.url_contains("q="))
    assert browser.find_element(By.ID, "q").get_attribute("value") == "الرئيس"
    after_query = total(browser)
    assert 0 < after_query < everything
    marks = browser.find_elements(By.CSS_SELECTOR, ".snippet mark, .hit h3 mark")
    assert marks and all(m.text for m in marks)

    # Click a person in the facet.
    person = browser.find_element(By.CSS_SELECTOR, "#facet-person a.facet-value")
    person_name = person.get_attribute("data-value")
    person.click()
    wait.until(EC.url_contains("person="))
    assert args(browser)["person"] == [person_name]
    after_person = total(browser)
    assert 0 < after_person <= after_query
    for hit in browser.find_elements(By.CSS_SELECTOR, ".hit"):
        assert person_name in hit.text

    # Then an outlet.
    outlet = browser.find_element(By.CSS_SELECTOR, "#facet-outlet a.facet-value:not(.selected)")
    outlet_id = outlet.get_attribute("data-value")
    outlet.click()
    wait.until(EC.url_contains("outlet="))
    assert args(browser)["outlet"] == [outlet_id] and args(browser)["person"] == [person_name]
    after_outlet = total(browser)
    assert after_outlet <= after_person
    chips = browser.find_elements(By.CSS_SELECTOR, ".chips a.chip:not(.clear)")
    assert len(chips) == 2

    # Remove the person chip: the outlet stays.
    next(c for c in chips if person_name in c.text).click()
    wait.until(lambda d: "person" not in args(d))
    assert args(browser)["outlet"] == [outlet_id] and args(browser)["q"] == ["الرئيس"]

    # The back button restores the previous state.
    browser.back()
    wait.until(lambda d: "person" in args(d))
    assert args(browser)["person"] == [person_name] and total(browser) == after_outlet

    if os.environ.get("ARNEWS_SCREENSHOT"):
        browser.save_screenshot(os.environ["ARNEWS_SCREENSHOT"])


def test_article_page_and_phone_width(browser, base_url) -> None:
    browser.get(base_url + "/?q=" + urllib.parse.quote("اسماعيل هنيه"))
    link = browser.find_element(By.CSS_SELECTOR, ".hit h3 a")
    link.click()
    WebDriverWait(browser, 10).until(EC.url_contains("/article/"))
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".body mark")]
    assert "إسماعيلُ" in marks and "هنيّة" in marks
    browser.set_window_size(390, 844)
    browser.get(base_url + "/?q=" + urllib.parse.quote("الهلال"))
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400  # no horizontal scrolling on a phone
    browser.set_window_size(1280, 1400)


def test_sort_select_submits_with_javascript(browser, base_url) -> None:
    browser.get(base_url + "/?q=" + urllib.parse.quote("تقرير"))
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.CSS_SELECTOR, "select[name=sort]")).select_by_value("newest")
    WebDriverWait(browser, 10).until(EC.url_contains("sort=newest"))
    dates = [t.text for t in browser.find_elements(By.CSS_SELECTOR, ".hit time")]
    assert dates == sorted(dates, reverse=True)


def test_the_form_follows_the_url_after_back(browser, base_url) -> None:
    """Issue 19: after Back the date inputs and the sort select kept what was typed, and the
    next search applied a range the URL no longer had."""
    browser.get(base_url + "/?q=" + urllib.parse.quote("الرئيس"))
    box = browser.find_element(By.NAME, "from")
    assert box.get_attribute("type") == "text" and box.get_attribute("placeholder") == "2015-07-21"  # no mm/dd/yyyy
    box.send_keys("2015-07-05")
    browser.find_element(By.CSS_SELECTOR, "#facet-outlet a.facet-value").click()
    WebDriverWait(browser, 10).until(EC.url_contains("outlet="))
    browser.back()
    WebDriverWait(browser, 10).until(lambda d: "outlet=" not in d.current_url)
    assert browser.find_element(By.NAME, "from").get_attribute("value") == ""
    assert browser.find_element(By.NAME, "q").get_attribute("value") == "الرئيس"


def test_sort_shown_and_pages_past_the_end(browser, base_url) -> None:
    """Issue 19: the home page showed الأحدث in bold while the select said الأكثر صلة; a page
    past the last showed a count, "no results" and "page 300 of 6" at once."""
    from selenium.webdriver.support.ui import Select

    browser.get(base_url + "/")
    holdings = browser.find_element(By.CSS_SELECTOR, ".holdings").text  # what the index holds
    assert f"{total(browser):,}" in holdings and "2015-07-01" in holdings and "2023-11-06" in holdings
    bold = browser.find_element(By.CSS_SELECTOR, ".summary b").text
    chosen = Select(browser.find_element(By.CSS_SELECTOR, "select[name=sort]")).first_selected_option.text
    assert bold == "الأحدث" and chosen == "الأحدث"
    browser.get(base_url + "/?q=" + urllib.parse.quote("تقرير") + "&page=300")
    past = browser.find_element(By.CSS_SELECTOR, ".past-end a")
    assert "صفحة 300 من" not in browser.page_source and "لا نتائج" not in browser.page_source
    past.click()
    WebDriverWait(browser, 10).until(lambda d: "page=300" not in d.current_url)
    assert browser.find_elements(By.CSS_SELECTOR, ".hit")


def test_arabic_messages_and_number_agreement(browser, base_url) -> None:
    from search_app.text import article_noun

    assert [article_noun(n) for n in (1, 2, 3, 10, 11, 99, 100, 102, 105, 150, 2105)] == [
        "مقال", "مقالان", "مقالات", "مقالات", "مقالًا", "مقالًا", "مقال", "مقال", "مقالات", "مقالًا", "مقالات"]
    browser.get(base_url + "/?q=" + urllib.parse.quote("تقرير") + "&page=abc&per_page=500")
    notices = [n.text for n in browser.find_elements(By.CSS_SELECTOR, ".notice")]
    assert len(notices) == 2 and all(any("\u0600" <= c <= "\u06ff" for c in n.split("(")[0]) for n in notices)
    summary = browser.find_element(By.CSS_SELECTOR, ".summary").text
    assert article_noun(total(browser)) in summary


def test_a_stop_word_query_says_only_common_words(browser, base_url) -> None:
    browser.get(base_url + "/?q=" + urllib.parse.quote("في من على"))
    notices = " ".join(n.text for n in browser.find_elements(By.CSS_SELECTOR, ".notice"))
    assert "لا يحوي كلمات يمكن البحث عنها" in notices and "اكتبه بالياء" in notices
    assert not browser.find_elements(By.CSS_SELECTOR, ".hit")
    browser.get(base_url + "/?q=" + urllib.parse.quote("علي"))
    assert total(browser) > 0


def test_keyboard_and_screen_reader_basics(browser, base_url) -> None:
    """Issue 19: no <h1>, 68 Tab presses to the first result, a ☑ hidden from screen readers,
    date bars named with date and count run together, /favicon.ico 404."""
    import urllib.request

    with urllib.request.urlopen(base_url + "/favicon.ico") as r:
        assert r.status == 200 and r.headers["Content-Type"].startswith("image/")
    browser.get(base_url + "/?q=" + urllib.parse.quote("تقرير") + "&outlet=okaz")
    assert browser.find_element(By.TAG_NAME, "h1").get_attribute("textContent").strip()
    values = browser.find_elements(By.CSS_SELECTOR, "#facet-outlet a.facet-value")
    assert {v.get_attribute("aria-checked") for v in values} == {"true", "false"}
    bar = browser.find_element(By.CSS_SELECTOR, ".histogram a")
    assert ": " in bar.get_attribute("aria-label") and "مقال" in bar.get_attribute("aria-label")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    presses = 1
    first = browser.find_element(By.CSS_SELECTOR, ".hit h3 a")
    while browser.switch_to.active_element != first and presses < 5:
        active = browser.switch_to.active_element
        if "skip" in (active.get_attribute("class") or ""):
            active.send_keys(Keys.ENTER)
        browser.switch_to.active_element.send_keys(Keys.TAB)
        presses += 1
    assert browser.switch_to.active_element == first, presses


def test_person_filter_folds_spelling_while_typing(browser, base_url) -> None:
    """Issue 19: typing اسماعيل هنيه hid إسماعيل هنية until Enter."""
    browser.get(base_url + "/?person_filter=" + urllib.parse.quote("ا"))
    box = browser.find_element(By.CSS_SELECTOR, ".facet-filter-input")
    box.clear()
    box.send_keys("اسماعيل هنيه")
    items = browser.find_elements(By.CSS_SELECTOR, "#facet-person li")
    shown = [li.text for li in items if li.is_displayed()]
    assert shown and all("هنية" in t for t in shown)
    assert len(shown) < len(items)


def test_person_names_in_latin_script_on_the_page(browser, base_url) -> None:
    """Issue 20: each person value shows its Latin form; the filter box takes Latin while typing
    and on Enter (the server matches spelling variants); a Latin query says what it searched."""
    browser.get(base_url + "/?person_filter=" + urllib.parse.quote("ا"))
    latin = {el.text for el in browser.find_elements(By.CSS_SELECTOR, "#facet-person .latin")}
    assert "Ismail Haniyeh" in latin and any(t.endswith("Obama") for t in latin)
    box = browser.find_element(By.CSS_SELECTOR, ".facet-filter-input")
    box.clear()
    box.send_keys("obama")
    items = browser.find_elements(By.CSS_SELECTOR, "#facet-person li")
    shown = [li.text for li in items if li.is_displayed()]
    assert shown and all("أوباما" in t for t in shown) and len(shown) < len(items)
    box.clear()
    box.send_keys("Haniya" + Keys.ENTER)  # not the shown spelling (Haniyeh): the server's match
    WebDriverWait(browser, 10).until(lambda b: "Haniya" in b.current_url)
    shown = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#facet-person li") if li.is_displayed()]
    assert shown and all("هنية" in t for t in shown)
    browser.get(base_url + "/?q=Haniyeh")
    assert "Haniyeh → هنيه" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert browser.find_elements(By.CSS_SELECTOR, ".hit")
    # a hit's person chips carry the Latin form as their tooltip
    chips = browser.find_elements(By.CSS_SELECTOR, ".hit .persons a.person")
    assert any(c.get_attribute("title") == "Ismail Haniyeh" and "هنية" in c.text for c in chips)


def test_filters_within_one_phone_screen(base_url, tmp_path) -> None:
    phone = chrome(tmp_path / "phone", phone=True)
    try:
        phone.get(base_url + "/?q=" + urllib.parse.quote("تقرير"))
        assert phone.execute_script("return window.innerWidth") == 390
        jump = phone.find_element(By.CSS_SELECTOR, ".jump-filters")
        rect = jump.rect
        assert jump.is_displayed() and rect["y"] + rect["height"] <= 844 and rect["height"] >= 44
        jump.click()
        value = phone.find_element(By.CSS_SELECTOR, "#facet-outlet a.facet-value")
        assert value.rect["height"] >= 44
        top = phone.execute_script("return arguments[0].getBoundingClientRect().top", value)
        assert 0 <= top <= 844
        assert phone.execute_script("return document.documentElement.scrollWidth") <= 390  # no sideways scroll
    finally:
        phone.quit()


def test_the_page_works_without_javascript(base_url, tmp_path) -> None:
    """Server-rendered: search, a facet value, the sort and the per-page select (with the
    submit button), paging and the article page, all with JavaScript off."""
    from selenium.webdriver.support.ui import Select

    plain = chrome(tmp_path / "nojs", javascript=False)
    try:
        plain.get(base_url + "/")
        plain.find_element(By.ID, "q").send_keys("تقرير", Keys.ENTER)
        WebDriverWait(plain, 10).until(EC.url_contains("q="))
        # typed on the home page (newest first), the query is ranked by relevance
        assert Select(plain.find_element(By.CSS_SELECTOR, "select[name=sort]")).first_selected_option.text == \
            "الأكثر صلة"
        before = total(plain)
        plain.find_element(By.CSS_SELECTOR, "#facet-outlet a.facet-value").click()
        WebDriverWait(plain, 10).until(EC.url_contains("outlet="))
        assert 0 < total(plain) <= before
        Select(plain.find_element(By.CSS_SELECTOR, "select[name=sort]")).select_by_value("newest")
        Select(plain.find_element(By.CSS_SELECTOR, "select[name=per_page]")).select_by_value("25")
        assert "sort=newest" not in plain.current_url  # no script submitted the form: JavaScript is off
        plain.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(plain, 10).until(EC.url_contains("sort=newest"))
        assert args(plain)["per_page"] == ["25"] and "outlet" in args(plain)
        dates = [d.text for d in plain.find_elements(By.CSS_SELECTOR, ".hit time")]
        assert dates == sorted(dates, reverse=True)
        plain.find_element(By.CSS_SELECTOR, ".hit h3 a").click()
        WebDriverWait(plain, 10).until(EC.url_contains("/article/"))
        assert plain.find_element(By.TAG_NAME, "h1").text
    finally:
        plain.quit()


def test_per_page_person_links_and_back_to_the_same_page(browser, base_url) -> None:
    from selenium.webdriver.support.ui import Select

    browser.get(base_url + "/?q=" + urllib.parse.quote("تقرير"))
    Select(browser.find_element(By.CSS_SELECTOR, "select[name=per_page]")).select_by_value("25")
    WebDriverWait(browser, 10).until(EC.url_contains("per_page=25"))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".hit")) == 25
    browser.find_element(By.CSS_SELECTOR, ".pager a[rel=next]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("page=2"))
    browser.find_element(By.CSS_SELECTOR, ".hit h3 a").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/article/"))
    person = browser.find_element(By.CSS_SELECTOR, ".article .persons a.person")
    assert "person=" in person.get_attribute("href")
    browser.find_element(By.PARTIAL_LINK_TEXT, "العودة إلى النتائج").click()
    WebDriverWait(browser, 10).until(lambda d: "/article/" not in d.current_url)
    assert args(browser).get("page") == ["2"] and args(browser).get("per_page") == ["25"]


def test_the_date_chart_marks_and_drills_into_a_bucket(browser, base_url) -> None:
    browser.get(base_url + "/")
    unit = browser.find_element(By.CSS_SELECTOR, "#facet-date h2 small").text
    first = browser.find_element(By.CSS_SELECTOR, ".histogram li a")
    label = first.find_element(By.CSS_SELECTOR, ".bar-label").text
    first.click()
    WebDriverWait(browser, 10).until(EC.url_contains("from="))
    marked = browser.find_elements(By.CSS_SELECTOR, ".histogram li.selected a[aria-current=true]")
    assert marked and all(m.find_element(By.CSS_SELECTOR, ".bar-label").text.startswith(label[:4]) for m in marked)
    assert browser.find_element(By.CSS_SELECTOR, "#facet-date h2 small").text != unit or len(label) == 10
    browser.find_element(By.PARTIAL_LINK_TEXT, "كل التواريخ").click()
    WebDriverWait(browser, 10).until(lambda d: "from=" not in d.current_url)


def test_first_run_page_shows_the_build_and_opens_search_by_itself(browser, tmp_path) -> None:
    """Issue 19: `serve` with no index answered only after minutes of indexing. Now the page is
    there at once, says the index is being built, and turns into the search page by itself."""
    import signal
    import subprocess

    from tests.test_e2e import make_slice
    from tests.test_first_run import SLOW_COMMIT, _first_answer, _start

    seeds = make_slice(tmp_path / "seeds", n=120)
    env = {**os.environ, "ARNEWS_SEEDS": str(seeds), "ARNEWS_INDEX": str(tmp_path / "index"),
           "ARNEWS_FAULT": SLOW_COMMIT}
    port = free_port()
    proc = _start(["serve", "--port", str(port), "--workers", "1"], env)
    try:
        _first_answer(f"http://127.0.0.1:{port}/healthz")
        browser.get(f"http://127.0.0.1:{port}/")
        status = browser.find_element(By.CSS_SELECTOR, "[role=status]")
        assert "يُبنى الفهرس الآن" in status.text
        WebDriverWait(browser, 90).until(lambda d: d.find_elements(By.ID, "total"))  # no reload by the test
        assert total(browser) == 121
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_person_page_from_a_facet_value(browser, base_url) -> None:
    """Issue 20: every person facet value leads to the person's page (count, dates, outlets,
    co-mentioned persons, each a link to their own page)."""
    browser.get(base_url + "/?q=" + urllib.parse.quote("هنية"))
    value = browser.find_element(By.CSS_SELECTOR, "#facet-person li a.facet-value")
    name, count = value.get_attribute("data-value"), int(value.find_element(By.CSS_SELECTOR, ".count").text)
    latin = value.get_attribute("data-latin")
    browser.find_element(By.CSS_SELECTOR, "#facet-person li a.profile").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/person/"))
    h1 = browser.find_element(By.TAG_NAME, "h1")
    assert h1.text.startswith(name)  # then its Latin form, as beside the facet value
    assert h1.find_element(By.CSS_SELECTOR, ".latin").text == latin == "Ismail Haniyeh"
    assert total(browser) >= count  # the facet counted within the query; the page, every article
    assert browser.find_elements(By.CSS_SELECTOR, "#person-outlets a.facet-value")
    co = browser.find_elements(By.CSS_SELECTOR, "#person-co a.facet-value")
    if co:
        other = co[0].find_element(By.CSS_SELECTOR, ".label").text
        co[0].click()
        WebDriverWait(browser, 10).until(lambda d: d.find_element(By.TAG_NAME, "h1").text.startswith(other))
