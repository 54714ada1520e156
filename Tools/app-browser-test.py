#!/usr/bin/env python3
"""Drives Debian's chromium (headless, chromium-driver, selenium) through a volunteer's day in the app (`fieldsync app`):
open it from its launch file, unlock, log three visits by keyboard (one failed, with a follow-up; one with a wrong CCCD
first), a visit outside the commune that is then fixed from the flagged page, a training session, search without
diacritics, edit, sync with progress (another laptop's visit arrives, a conflict is told), lock, quit. The attacks are
tried too: no cookie, another Origin, another Host, a locked store. Screenshots of every page at 1366 and 412 px go to
--out; a page wider than its window fails.

Prints one JSON object: pages, screenshots, checks. Used by Tests/SyncEndToEndTests/AppBrowserEndToEndTests.swift.
"""
import argparse
import http.client
import json
import os
import sys
import time
import traceback
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--launch", required=True, help="the launch file `fieldsync app` printed")
    parser.add_argument("--passphrase", required=True)
    parser.add_argument("--other-commune", required=True, help="a commune code outside the laptop's")
    parser.add_argument("--peer-name", required=True, help="a visit another laptop logged, with diacritics")
    parser.add_argument("--peer-search", required=True, help="the same without diacritics")
    parser.add_argument("--conflict-words", required=True, help="words the conflict message must hold")
    parser.add_argument("--peer-address", required=True, help="HOST:PORT of a laptop running `fieldsync peer serve --once`")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    downloads = os.path.join(args.out, "downloads")
    os.makedirs(downloads, exist_ok=True)

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=vi-VN",
                 "--window-size=1366,768", "--allow-file-access-from-files"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    wait = WebDriverWait(driver, 60, ignored_exceptions=[StaleElementReferenceException, WebDriverException])
    report = {"pages": {}, "screenshots": [], "checks": [], "timings": {}}

    def check(condition, what):
        if not condition:
            raise AssertionError(what)
        report["checks"].append(what)

    def shoot(name):
        report["pages"][name] = len(driver.page_source.encode("utf-8"))
        check(driver.title and "FieldSync" in driver.title, f"{name}: the page has a title ({driver.title!r})")
        def overflow():
            return driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        for width, height in ((1366, 768), (412, 915)):
            driver.set_window_size(width, height)
            try:
                WebDriverWait(driver, 10).until(lambda d: overflow() <= 1)
            except TimeoutException:
                pass
            check(overflow() <= 1, f"{name} at {width} px fits the window (overflow {overflow()} px)")
            full = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 4000)")
            driver.set_window_size(width, max(full, height))
            path = os.path.join(args.out, f"app-{name}-{width}.png")
            driver.save_screenshot(path)
            report["screenshots"].append(path)
        driver.set_window_size(1366, 768)

    def go(path):
        driver.get(base + path)

    def submitted(act):
        """Does `act` (a click or an Enter that sends a form) and waits for the next page's notice, once the page it
        left is gone (its own notice would otherwise answer at once, and vanish under the next look)."""
        page = driver.find_element(By.TAG_NAME, "html")
        act()
        wait.until(ec.staleness_of(page))
        wait.until(ec.presence_of_element_located((By.ID, "notice")))

    def active_id():
        return driver.switch_to.active_element.get_attribute("id")

    def tab_to(expected):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        check(active_id() == expected, f"Tab moves to {expected} (at {active_id()})")
        return driver.switch_to.active_element

    def raw(method, path, headers, body=None):
        """A request outside the browser: an attacker's, or another user's on this laptop."""
        connection = http.client.HTTPConnection(host, port, timeout=30)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, response.getheader("Location"), text

    try:
        driver.get("file://" + args.launch)
        wait.until(lambda d: d.current_url.startswith("http://127.0.0.1:") and "/open" not in d.current_url)
        parsed = urllib.parse.urlparse(driver.current_url)
        base = f"{parsed.scheme}://{parsed.netloc}"
        host, port = parsed.hostname, parsed.port
        # Locked: every page leads to the unlock page.
        wait.until(ec.presence_of_element_located((By.ID, "passphrase")))
        check(driver.current_url.endswith("/unlock"), "a locked store opens on the unlock page")
        cookie = next(c for c in driver.get_cookies() if c["name"] == "fieldsync_app")
        check(cookie.get("httpOnly") is True and cookie.get("sameSite") == "Strict", "the session cookie is HttpOnly and SameSite=Strict")
        session = f"fieldsync_app={cookie['value']}"
        status, location, _ = raw("GET", "/", {"Host": f"{host}:{port}", "Cookie": session})
        check(status == 302 and location == "/unlock", "locked store: a page with the cookie goes to the unlock page")
        shoot("unlock")
        field = driver.find_element(By.ID, "passphrase")
        check(active_id() == "passphrase", "the passphrase field has the focus")
        field.send_keys(args.passphrase + Keys.ENTER)
        wait.until(ec.presence_of_element_located((By.ID, "today-cards")))
        shoot("today")

        # The attacks, each refused.
        status, _, body = raw("GET", "/", {"Host": f"{host}:{port}"})
        check(status == 401 and "Trần" not in body, "no cookie: 401, nothing shown")
        status, _, body = raw("GET", "/", {"Host": f"attacker.example:{port}", "Cookie": session})
        check(status == 421 and "Trần" not in body, "another Host name (DNS rebinding): 421")
        go("/visits/new")
        token = driver.find_element(By.NAME, "csrf").get_attribute("value")
        form = urllib.parse.urlencode({"csrf": token, "service": "vneid-level2", "outcome": "done", "name": "Kẻ Giả Mạo", "commune": "00004"})
        status, _, _ = raw("POST", "/visits", {"Host": f"{host}:{port}", "Cookie": session, "Origin": "https://attacker.example",
                                               "Content-Type": "application/x-www-form-urlencoded"}, form)
        check(status == 403, "a form posted from another Origin: 403")
        status, _, _ = raw("POST", "/visits", {"Host": f"{host}:{port}", "Cookie": session, "Sec-Fetch-Site": "cross-site",
                                               "Content-Type": "application/x-www-form-urlencoded"}, form)
        check(status == 403, "a cross-site form (Sec-Fetch-Site): 403")

        # Visit 1, by keyboard alone: the focus starts on the first field, Tab follows the form, Enter saves.
        go("/visits/new")
        wait.until(ec.presence_of_element_located((By.ID, "record-form")))
        shoot("log")
        check(active_id() == "f-service", "the form opens with the focus on its first field")
        started = time.time()
        Select(driver.switch_to.active_element).select_by_value("vneid-level2")
        Select(tab_to("f-outcome")).select_by_value("done")
        tab_to("f-commune")
        name = tab_to("f-name")
        name.send_keys("Trần Văn Bình")
        tab_to("f-cccd").send_keys("001203012345")
        tab_to("f-phone").send_keys("0912345678")
        tab_to("f-reason")
        tab_to("f-note").send_keys("mở tài khoản xong")
        tab_to("f-at")
        tab_to("f-consent")
        tab_to("f-household")
        submitted(lambda: tab_to("f-comeBack").send_keys(Keys.ENTER))
        report["timings"]["log_visit_seconds"] = round(time.time() - started, 3)
        check("Trần Văn Bình" in driver.find_element(By.ID, "notice").text, "visit 1 saved; the form is ready for the next")
        check(active_id() == "f-service", "after saving, the focus is back on the first field")

        # Visit 2: failed (OTP not received), its follow-up set from the reason.
        Select(driver.find_element(By.ID, "f-service")).select_by_value("vneid-level2")
        Select(driver.find_element(By.ID, "f-outcome")).select_by_value("failed")
        driver.find_element(By.ID, "f-name").send_keys("Lê Thị Hoà")
        Select(driver.find_element(By.ID, "f-reason")).select_by_value("otp-not-received")
        driver.find_element(By.ID, "f-note").send_keys("hẹn thứ Sáu")
        submitted(lambda: driver.find_element(By.ID, "save").click())
        check("Lê Thị Hoà" in driver.find_element(By.ID, "notice").text, "visit 2 (failed) saved")

        # Visit 3: a wrong CCCD is told at its field, with the focus there; corrected, it saves.
        Select(driver.find_element(By.ID, "f-service")).select_by_value("e-wallet")
        Select(driver.find_element(By.ID, "f-outcome")).select_by_value("done")
        driver.find_element(By.ID, "f-name").send_keys("Nguyễn Văn An")
        driver.find_element(By.ID, "f-cccd").send_keys("00120301234")
        driver.find_element(By.ID, "f-name").send_keys(Keys.ENTER)
        wait.until(ec.presence_of_element_located((By.ID, "e-cccd")))
        check("12" in driver.find_element(By.ID, "e-cccd").text, "a wrong CCCD is told at its field")
        check(active_id() == "f-cccd", "the field in error has the focus")
        shoot("log-error")
        field = driver.switch_to.active_element
        field.clear()
        submitted(lambda: field.send_keys("001203098765" + Keys.ENTER))
        check("Nguyễn Văn An" in driver.find_element(By.ID, "notice").text, "visit 3 saved once corrected")

        # A visit logged in another commune stays here, flagged at the next sync; the flagged page fixes it in one click.
        Select(driver.find_element(By.ID, "f-service")).select_by_value("vneid-level2")
        Select(driver.find_element(By.ID, "f-outcome")).select_by_value("done")
        driver.find_element(By.ID, "f-name").send_keys("Hoàng Văn Sơn")
        commune = driver.find_element(By.ID, "f-commune")
        commune.clear()
        commune.send_keys(args.other_commune)
        submitted(lambda: driver.find_element(By.ID, "save").click())
        # A training session.
        go("/sessions/new")
        wait.until(ec.presence_of_element_located((By.ID, "record-form")))
        shoot("session-form")
        driver.find_element(By.ID, "f-place").send_keys("Nhà văn hoá thôn Đông")
        Select(driver.find_element(By.ID, "f-topic")).select_by_index(1)
        driver.find_element(By.ID, "f-trainers").send_keys("Lê Thị Hoa")
        driver.find_element(By.ID, "f-attendees").send_keys("32")
        driver.find_element(By.ID, "f-women").send_keys("18")
        driver.find_element(By.ID, "save").click()
        wait.until(ec.presence_of_element_located((By.ID, "sessions")))
        check("Nhà văn hoá thôn Đông" in driver.find_element(By.ID, "sessions").text, "the training session is listed")
        shoot("sessions")

        # Search without diacritics, then edit the visit found.
        go("/search")
        box = wait.until(ec.presence_of_element_located((By.ID, "q")))
        box.send_keys("tran van binh" + Keys.ENTER)
        wait.until(ec.presence_of_element_located((By.ID, "visits")))
        check("Trần Văn Bình" in driver.find_element(By.ID, "visits").text, "search without diacritics finds Trần Văn Bình")
        shoot("search")
        driver.find_element(By.CLASS_NAME, "visit-link").click()
        wait.until(ec.presence_of_element_located((By.ID, "visit-name")))
        shoot("visit")
        driver.find_element(By.ID, "edit").click()
        note = wait.until(ec.presence_of_element_located((By.ID, "f-note")))
        shoot("edit")
        note.clear()
        note.send_keys("đã mở tài khoản, hướng dẫn nạp tiền")
        submitted(lambda: driver.find_element(By.ID, "save").click())
        check("hướng dẫn nạp tiền" in driver.find_element(By.ID, "fields").text, "the edit is saved")

        go("/due")
        wait.until(ec.presence_of_element_located((By.ID, "due")))
        check("Lê Thị Hoà" in driver.find_element(By.ID, "due").text, "the failed visit's follow-up is due")
        shoot("due")

        # No network: the visits not yet sent, downloaded from the page as an offline bundle to carry.
        go("/sync")
        wait.until(ec.presence_of_element_located((By.ID, "bundle-export")))
        driver.find_element(By.ID, "bundle-export").click()
        deadline = time.time() + 30
        while time.time() < deadline and not [f for f in os.listdir(downloads) if f.endswith(".fsb")]:
            time.sleep(0.2)
        bundles = [os.path.join(downloads, f) for f in os.listdir(downloads) if f.endswith(".fsb")]
        check(bundles and os.path.getsize(bundles[0]) > 100, "an offline bundle is downloaded from the page")

        # Sync: the progress while it runs, then the summary with the conflict told in words.
        go("/sync")
        wait.until(ec.presence_of_element_located((By.ID, "sync-now")))
        driver.find_element(By.ID, "sync-now").click()
        saw = wait.until(lambda d: d.find_elements(By.ID, "sync-summary") or d.find_elements(By.ID, "sync-progress")
                         or d.find_elements(By.ID, "sync-failure"))
        progress_seen = bool(driver.find_elements(By.ID, "sync-progress"))
        wait.until(lambda d: d.find_elements(By.ID, "sync-summary") or d.find_elements(By.ID, "sync-failure"))
        check(not driver.find_elements(By.ID, "sync-failure"), "the sync succeeded: "
              + " ".join(e.text for e in driver.find_elements(By.ID, "sync-failure")))
        summary = driver.find_element(By.ID, "sync-summary").text
        report["sync_summary"] = summary
        report["progress_seen"] = progress_seen
        check(all(word in summary for word in args.conflict_words.split("|")), f"the conflict is told in the summary: {summary!r}")
        shoot("sync")

        go("/flagged")
        wait.until(ec.presence_of_element_located((By.CLASS_NAME, "fix-scope")))
        shoot("flagged")
        driver.find_element(By.CLASS_NAME, "fix-scope").click()
        wait.until(ec.presence_of_element_located((By.ID, "visit-name")))
        check("Hoàng Văn Sơn" in driver.find_element(By.ID, "visit-name").text, "the fix leads to the visit")
        go("/flagged")
        wait.until(ec.presence_of_element_located((By.ID, "no-flags")))
        check(True, "the flagged visit is fixed")

        go("/sync")
        driver.find_element(By.ID, "sync-now").click()
        wait.until(lambda d: d.find_elements(By.ID, "sync-summary") or d.find_elements(By.ID, "sync-failure"))
        check(not driver.find_elements(By.ID, "sync-failure"), "the fixed visit is sent")
        # A LAN sync with the laptop nearby, started from the page.
        go("/sync")
        driver.find_element(By.ID, "peer").send_keys(args.peer_address + Keys.ENTER)
        wait.until(lambda d: d.find_elements(By.ID, "message") or d.find_elements(By.ID, "error"))
        check(not driver.find_elements(By.ID, "error"), "the LAN sync succeeded: "
              + " ".join(e.text for e in driver.find_elements(By.ID, "error")))
        report["lan"] = driver.find_element(By.ID, "message").text
        shoot("lan")

        go("/search?q=" + urllib.parse.quote(args.peer_search))
        wait.until(ec.presence_of_element_located((By.ID, "visits")))
        check(args.peer_name in driver.find_element(By.ID, "visits").text, "another laptop's visit arrived and is found")
        go("/")
        wait.until(ec.presence_of_element_located((By.ID, "conflicts")))
        check(len(driver.find_element(By.ID, "conflicts").text) > 0, "today's page tells the conflict")
        shoot("today-after-sync")
        go("/?lang=en")
        wait.until(ec.presence_of_element_located((By.ID, "today-cards")))
        check("Today" in driver.find_element(By.TAG_NAME, "h1").text, "English on request")
        go("/?lang=vi")

        # Lock: the page is unusable until the passphrase is typed again, from the browser or with the cookie.
        driver.find_element(By.ID, "lock").click()
        wait.until(ec.presence_of_element_located((By.ID, "passphrase")))
        status, location, body = raw("GET", "/search?q=tran", {"Host": f"{host}:{port}", "Cookie": session})
        check(status == 302 and location == "/unlock" and "Trần" not in body, "locked from the page: the cookie reads nothing")
        driver.find_element(By.ID, "passphrase").send_keys(args.passphrase + Keys.ENTER)
        wait.until(ec.presence_of_element_located((By.ID, "today-cards")))
        driver.find_element(By.ID, "quit").click()
        wait.until(ec.presence_of_element_located((By.TAG_NAME, "h1")))
        shoot("closed")
        print(json.dumps(report))
    except Exception as error:  # noqa: BLE001 - the whole failure goes to the Swift test
        report["failure"] = f"{error.__class__.__name__}: {error}\n{traceback.format_exc()}\nURL {driver.current_url}\n{driver.page_source[:3000]}"
        try:
            driver.save_screenshot(os.path.join(args.out, "app-failure.png"))
        except WebDriverException:
            pass
        print(json.dumps(report))
        sys.exit(1)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
