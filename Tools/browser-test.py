#!/usr/bin/env python3
"""Drives Debian's chromium (headless, through chromium-driver and selenium) through the coordinators'
console of a running hub, as a coordinator would: activate an account with a code, sign out and in,
filter visits, open one, resolve a conflict and a duplicate, issue a code and revoke a device,
download the CSV and XLSX exports (the XLSX read back with openpyxl), sign out. Screenshots of every
page at 412 px (a phone) and 1280 px are written to --out; a page wider than the window fails.

Prints one JSON object: pages with their HTML bytes, screenshots, and what was checked.
Used by Tests/SyncEndToEndTests/ConsoleBrowserEndToEndTests.swift, which prepares the hub.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import traceback

import openpyxl
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="the hub's URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--code", required=True, help="a coordinator's enrolment code for commune 00004")
    parser.add_argument("--revoke", required=True, help="the id of a volunteer's device to revoke")
    parser.add_argument("--search", required=True, help="a name to search without diacritics")
    parser.add_argument("--expect", required=True, help="the name (with diacritics) the search must find")
    parser.add_argument("--out", required=True, help="folder for screenshots and downloads")
    args = parser.parse_args()
    downloads = os.path.join(args.out, "downloads")
    os.makedirs(downloads, exist_ok=True)

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=vi-VN",
                 "--window-size=1280,900"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    # A page replaced by the next one while a condition reads it is not a failure: read it again.
    # Generous: a loaded CI machine (the whole suite at once) renders slowly; a working page appears well within it.
    wait = WebDriverWait(driver, 60, ignored_exceptions=[StaleElementReferenceException, WebDriverException])
    report = {"pages": {}, "screenshots": [], "checks": []}

    def check(condition, what):
        if not condition:
            raise AssertionError(what)
        report["checks"].append(what)

    def shoot(name):
        """Screenshots at 1280 and 412 px wide; no page may be wider than its window."""
        report["pages"][name] = len(driver.page_source.encode("utf-8"))
        check(driver.title and not driver.title.startswith(" ") and not driver.title.startswith("·"),
              f"{name}: the page's title names it ({driver.title!r})")
        def overflow_of(d):
            return d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")

        for width in (1280, 412):
            driver.set_window_size(width, 900)
            # A loaded machine lays the page out again slowly: measure once it settled (or give up after 10 s).
            try:
                WebDriverWait(driver, 10).until(lambda d: overflow_of(d) <= 1)
            except TimeoutException:
                pass
            overflow = overflow_of(driver)
            check(overflow <= 1, f"{name} at {width} px fits the window (overflow {overflow} px)")
            path = os.path.join(args.out, f"{name}-{width}.png")
            height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 4000)")
            driver.set_window_size(width, max(height, 600))
            driver.save_screenshot(path)
            report["screenshots"].append(path)
        driver.set_window_size(1280, 900)

    def go(path):
        driver.get(args.base + path)

    def follow(by, value):
        """Clicks what leads to a new page and waits until the old one is gone, so no later lookup
        reads an element of the page being replaced."""
        element = driver.find_element(by, value)
        element.click()

        def gone(_):
            # While the page is being replaced chromedriver may answer "node does not belong to the
            # document" (a plain WebDriverException) instead of a stale element: both mean it is gone.
            try:
                element.is_enabled()
                return False
            except WebDriverException:
                return True

        wait.until(gone)

    def fill(element_id, text):
        field = driver.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(text)

    try:
        go("/console/overview")
        check(driver.current_url.endswith("/console/sign-in"), "signed out: the console asks to sign in")
        shoot("sign-in")
        go("/console/join")
        fill("code", args.code)
        fill("login", "hai.tran")
        fill("passphrase", "một hai ba bốn năm")
        fill("again", "một hai ba bốn năm")
        follow(By.ID, "submit")
        wait.until(ec.presence_of_element_located((By.ID, "totals")))
        check("Tổng quan" in driver.page_source and "Giờ Việt Nam" in driver.page_source, "overview in Vietnamese, Vietnam time")
        shoot("overview")

        follow(By.ID, "sign-out")
        wait.until(ec.presence_of_element_located((By.ID, "login")))
        fill("login", "hai.tran")
        fill("passphrase", "sai mật khẩu rồi")
        follow(By.ID, "submit")
        wait.until(ec.presence_of_element_located((By.ID, "error")))
        check("Sai tên đăng nhập hoặc mật khẩu" in driver.page_source, "a wrong passphrase is refused")
        fill("login", "hai.tran")
        fill("passphrase", "một hai ba bốn năm")
        follow(By.ID, "submit")
        wait.until(ec.presence_of_element_located((By.ID, "totals")))
        check(True, "signed in again")

        go("/console/visits")
        fill("name", args.search)
        follow(By.ID, "filter")
        wait.until(ec.presence_of_element_located((By.ID, "visits")))
        rows = driver.find_elements(By.CSS_SELECTOR, "#visits tbody tr")
        check(any(args.expect in r.text for r in rows),
              f"searching {args.search!r} finds {args.expect!r}")
        shoot("visits")
        follow(By.CSS_SELECTOR, "a.visit-link")
        wait.until(ec.presence_of_element_located((By.ID, "visit-name")))
        check(args.expect in driver.find_element(By.ID, "visit-name").text, "the visit opens with its fields")
        shoot("visit")

        go("/console/conflicts")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "form.resolve")))
        before = len(driver.find_elements(By.CSS_SELECTOR, "form.resolve"))
        shoot("conflicts")
        section = driver.find_element(By.CSS_SELECTOR, "section.conflict")
        entry = section.get_attribute("id")
        chosen = []
        for fieldset in section.find_elements(By.CSS_SELECTOR, "fieldset"):
            # Each field offers both values by their writers' names ("Giữ của Bình: …"); take the one the merge did not keep.
            for label in fieldset.find_elements(By.CSS_SELECTOR, "label.choice"):
                radio = label.find_element(By.CSS_SELECTOR, "input[type=radio]")
                if radio.get_attribute("value") != "typed" and not radio.is_selected():
                    check(label.text.startswith("Giữ của "), f"a choice names whose value it is ({label.text!r})")
                    radio.click()
                    chosen.append(label.text.split(": ", 1)[1])
                    break
        check(chosen, "the open conflict offers a choice per field")
        follow(By.CSS_SELECTOR, f"#{entry} button.resolve-fields")
        wait.until(ec.presence_of_element_located((By.ID, "confirm-form")))
        shoot("confirm-conflict")
        follow(By.ID, "confirm")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, f"#{entry} .resolution")))
        kept = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, f"#{entry} td.kept")]
        check(kept == chosen, f"after resolving, the page shows the value kept ({kept} == {chosen})")
        report["chosen"] = chosen
        go("/console/conflicts")
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "form.resolve")) == before - 1)
        check(True, "a conflict is resolved field by field after a confirmation page (no script)")

        go("/console/duplicates")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "button.resolve-duplicate")))
        shoot("duplicates")
        follow(By.CSS_SELECTOR, "button.resolve-duplicate")
        wait.until(ec.presence_of_element_located((By.ID, "confirm-form")))
        follow(By.ID, "confirm")
        wait.until(ec.presence_of_element_located((By.ID, "no-duplicates")))
        check(True, "a duplicate is resolved after a confirmation page")

        go("/console/devices")
        fill("code-team", "T-09")
        follow(By.ID, "issue")
        wait.until(ec.presence_of_element_located((By.ID, "new-code")))
        code = driver.find_element(By.ID, "new-code").text
        check(len(code) >= 12, f"an enrolment code is issued and shown ({code})")
        qr_png = os.path.join(args.out, "new-code-qr.png")
        # The whole code on screen: a taller window than the page's top, then the element as the camera would see it.
        driver.set_window_size(1280, 1800)
        qr = driver.find_element(By.CSS_SELECTOR, "#new-code-qr svg")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", qr)
        qr.screenshot(qr_png)
        driver.set_window_size(1280, 900)
        decoded = subprocess.run(["zbarimg", "--raw", "-q", qr_png], capture_output=True, text=True).stdout.strip()
        check(decoded == code, f"its QR code, read off the screen by zbarimg, is the code ({decoded!r})")
        shoot("devices")
        follow(By.CSS_SELECTOR, f"#device-{args.revoke} button.revoke")
        wait.until(ec.presence_of_element_located((By.ID, "confirm-form")))
        check("Đã thu hồi" not in driver.page_source, "one click on Thu hồi revokes nothing: it asks on a page of its own")
        shoot("confirm-revoke")
        follow(By.ID, "confirm")
        wait.until(lambda d: "Đã thu hồi" in d.find_element(By.ID, f"device-{args.revoke}").text)
        check(True, "a device is revoked")

        go("/console/quarantine")
        wait.until(ec.presence_of_element_located((By.ID, "no-quarantine")))
        shoot("quarantine")

        go("/console/exports")
        shoot("exports")
        for name in ("visits.csv", "visits.xlsx"):
            driver.find_element(By.CSS_SELECTOR, f"a[href^='/console/exports/{name}']").click()
        deadline = time.time() + 20
        while time.time() < deadline and not all(os.path.exists(os.path.join(downloads, n)) for n in ("visits.csv", "visits.xlsx")):
            time.sleep(0.2)
        csv_text = open(os.path.join(downloads, "visits.csv"), encoding="utf-8-sig").read()
        check(",00004," in csv_text and args.expect in csv_text, "visits.csv downloaded, codes with their zeros")
        book = openpyxl.load_workbook(os.path.join(downloads, "visits.xlsx"))
        sheet = book.worksheets[0]
        header = [c.value for c in sheet[1]]
        check("Mã xã" in header and "Thời gian hỗ trợ" in header and "visited_at" not in header,
              f"XLSX: headers in Vietnamese ({header})")
        commune = sheet.cell(row=2, column=header.index("Mã xã") + 1)
        visited = sheet.cell(row=2, column=header.index("Thời gian hỗ trợ") + 1)
        check(commune.value == "00004" and commune.data_type == "s", "XLSX: commune 00004 stays text")
        check(visited.is_date, "XLSX: visit times are dates")
        check(sheet.freeze_panes == "A2" and (sheet.auto_filter.ref or "").startswith("A1:"), "XLSX: frozen header and a filter row")
        check((sheet.column_dimensions["A"].width or 0) >= 10, "XLSX: columns have widths")
        codes = [c.value for c in book.worksheets[1][1]]
        check("visited_at" in codes and "service" in codes, "XLSX: a second sheet keeps the codes for programs")

        follow(By.ID, "sign-out")
        wait.until(ec.presence_of_element_located((By.ID, "login")))
        go("/console/visits")
        check(driver.current_url.endswith("/console/sign-in"), "signed out: pages ask to sign in again")
    except Exception as error:  # the report says where it stopped; the test shows it
        driver.save_screenshot(os.path.join(args.out, "failure.png"))
        report["failure"] = f"{type(error).__name__}: {error} at line {error.__traceback__.tb_next.tb_lineno if error.__traceback__.tb_next else '?'}"
        report["trace"] = traceback.format_exc()[-1500:]
        print(json.dumps(report, ensure_ascii=False))
        driver.quit()
        sys.exit(1)
    driver.quit()
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
