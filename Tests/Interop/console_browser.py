#!/usr/bin/env python3
"""Drives Wellhead's admin console in a real browser (Debian's chromium through chromium-driver,
with Selenium) for the console's end-to-end tests. Each scenario prints one line per step the
Swift test reads ("STEP name: detail"); a step that fails raises, and the script exits 1.

    console_browser.py lockout    <url> <user> <password>
    console_browser.py blotter    <url> <user> <password> <clordid>
    console_browser.py killswitch <url> <risk1> <risk2> <trader> <password>
    console_browser.py websocket  <url> <user> <password> <actions.json>
    console_browser.py limits     <url> <risk1> <risk2> <password>
    console_browser.py screenshots <url> <user> <password> <folder> <clordid for the audit page>
    console_browser.py alerts     <url> <risk1> <risk2> <password>
    console_browser.py signals    <url> <user> <password>
    console_browser.py entry      <url> <trader> <password> <symbol> [<folder> for a screenshot]
"""
import json
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

DEADLINE = 20


def step(name, detail=""):
    print(f"STEP {name}: {detail}", flush=True)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1440,900",
                     "--force-device-scale-factor=1"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def wait(driver, condition, seconds=DEADLINE):
    return WebDriverWait(driver, seconds, poll_frequency=0.05).until(condition)


def sign_in(driver, url, user, password):
    driver.get(url + "/login")
    wait(driver, EC.presence_of_element_located((By.ID, "user")))
    driver.find_element(By.ID, "user").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "sign-in").click()


def signed_in(driver, url, user, password):
    sign_in(driver, url, user, password)
    wait(driver, EC.text_to_be_present_in_element((By.ID, "connection"), "live"))
    return driver


def message(driver):
    elements = driver.find_elements(By.ID, "login-message")
    return elements[0].text if elements else ""


def open_page(driver, page):
    click(driver, "nav-" + page)
    wait(driver, EC.presence_of_element_located((By.ID, "panel-" + ("orders" if page == "blotter" else page if page != "risk" else "limits"))))


def click(driver, element_id):
    """Clicks the element with `element_id`: the console redraws its tables as states arrive,
    so a button found a moment ago may have been replaced; find it again, in view, until the
    click lands. Nothing may cover it: an outcome's toast lets clicks through."""
    def clicked(d):
        try:
            element = d.find_element(By.ID, element_id)
            d.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
            element.click()
            return True
        except StaleElementReferenceException:
            return False
    wait(driver, clicked)


def text_of(driver, element_id):
    """The element's text, read again if a redraw replaced it meanwhile."""
    def read(d):
        try:
            return d.find_element(By.ID, element_id).text.replace("\n", " ") or " "
        except StaleElementReferenceException:
            return False
    return wait(driver, read).strip()


def confirm(driver):
    wait(driver, EC.alert_is_present()).accept()


def alert_text(driver, containing):
    """Waits for an alert toast holding `containing`; returns its text."""
    def found(d):
        for box in d.find_elements(By.CSS_SELECTOR, "#alerts .alert"):
            if containing in box.text:
                return box.text
        return False
    return wait(driver, found)


def lockout(url, user, password):
    driver = browser()
    try:
        for attempt in range(1, 6):
            sign_in(driver, url, user, "wrong-password-%d" % attempt)
            wait(driver, EC.presence_of_element_located((By.ID, "login-message")))
            step("wrong password %d" % attempt, message(driver))
        sign_in(driver, url, user, password)
        wait(driver, EC.presence_of_element_located((By.ID, "login-message")))
        step("right password after five wrong", message(driver))
        step("still on", driver.current_url)
    finally:
        driver.quit()


def blotter(url, user, password, clordid):
    driver = signed_in(browser(), url, user, password)
    try:
        open_page(driver, "blotter")
        # Records when a row holding the ClOrdID first appears, by the page's own clock.
        driver.execute_script("""
            window.__seen = null;
            const want = arguments[0];
            new MutationObserver(() => {
              if (window.__seen) return;
              for (const cell of document.querySelectorAll('#table-orders td'))
                if (cell.textContent === want) { window.__seen = Date.now(); return; }
            }).observe(document.getElementById('main'), { childList: true, subtree: true });
        """, clordid)
        step("ready", driver.current_url)
        seen = wait(driver, lambda d: d.execute_script("return window.__seen"), 60)
        step("seen", str(seen))
        row = driver.find_element(By.XPATH, "//table[@id='table-orders']//tr[td[text()='%s']]" % clordid)
        step("row", row.text.replace("\n", " "))
    finally:
        driver.quit()


def killswitch(url, risk1, risk2, trader, password):
    first = signed_in(browser(), url, risk1, password)
    second = None
    desk = None
    try:
        open_page(first, "risk")
        step("ready", "")
        # The test has the OMS's orders working before it lets the script on.
        sys.stdin.readline()
        first.find_element(By.ID, "kill-reason").send_keys("browser test")
        click(first, "engage-kill-switch")
        confirm(first)
        step("engaged", alert_text(first, "working order(s) cancelled"))
        wait(first, EC.presence_of_element_located((By.ID, "release-firm")))
        step("switch shown", text_of(first, "table-killswitches"))

        desk = signed_in(browser(), url, trader, password)
        step("trader pages", " ".join(a.get_attribute("data-page") for a in desk.find_elements(By.CSS_SELECTOR, "nav a")))
        refused = desk.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch('/api/action', { method: 'POST', headers: { 'Content-Type': 'application/json',
                   'X-CSRF-Token': document.querySelector('meta[name="csrf"]').content },
                   body: JSON.stringify({ releaseKillSwitch: { scope: 'firm', reason: 'trader tries' } }) })
              .then(r => r.json().then(j => done(r.status + ' ' + j.message)));
        """)
        step("trader release", refused)
        engage = desk.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch('/api/action', { method: 'POST', headers: { 'Content-Type': 'application/json',
                   'X-CSRF-Token': document.querySelector('meta[name="csrf"]').content },
                   body: JSON.stringify({ engageKillSwitch: { scope: 'firm', reason: 'trader tries' } }) })
              .then(r => r.json().then(j => done(r.status + ' ' + j.message)));
        """)
        step("trader engage", engage)
        forged = desk.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch('/api/action', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': 'forged' },
                   body: JSON.stringify({ cancelAll: { account: 'DESK1' } }) }).then(r => done(String(r.status)));
        """)
        step("forged csrf", forged)

        click(first, "release-firm")
        confirm(first)
        step("release asked", alert_text(first, "second risk manager"))
        # The outcome's toast is over the page, and a click on it reaches what is beneath.
        step("toast passes clicks", first.execute_script("""
            const box = [...document.querySelectorAll('#alerts .alert')].find(b => b.textContent.includes('second risk manager'));
            const r = box.getBoundingClientRect();
            const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return hit && !box.contains(hit) ? 'yes' : 'no: ' + (hit ? hit.outerHTML.slice(0, 80) : 'nothing');"""))
        wait(first, EC.presence_of_element_located((By.ID, "approve-1")))
        click(first, "approve-1")
        step("own approval", alert_text(first, "asked"))
        step("still engaged", text_of(first, "table-killswitches"))

        second = signed_in(browser(), url, risk2, password)
        open_page(second, "risk")
        wait(second, EC.presence_of_element_located((By.ID, "approve-1")))
        click(second, "approve-1")
        step("approved", alert_text(second, "released"))
        wait(first, lambda d: not d.find_elements(By.ID, "release-firm"))
        step("released everywhere", text_of(first, "table-killswitches") or "no switch engaged")
    finally:
        for driver in (first, second, desk):
            if driver:
                driver.quit()


def alerts(url, risk1, risk2, password):
    """Two risk managers' consoles open on different pages; each records, by the page's own
    clock, when a limit alert appears, and prints it once the test's fill has raised one."""
    drivers = []
    try:
        for user, page in ((risk1, "risk"), (risk2, "blotter")):
            driver = signed_in(browser(), url, user, password)
            open_page(driver, page)
            driver.execute_script("""
                window.__alert = null;
                new MutationObserver(() => {
                  if (window.__alert) return;
                  const box = document.querySelector('#alerts [id^="risk-alert-"]');
                  if (box) window.__alert = { time: Date.now(), text: box.textContent };
                }).observe(document.getElementById('alerts'), { childList: true, subtree: true });
            """)
            drivers.append((user, driver))
        step("ready", "")
        for user, driver in drivers:
            seen = wait(driver, lambda d: d.execute_script("return window.__alert"), 60)
            step("alert " + user, "%d %s" % (seen["time"], seen["text"]))
    finally:
        for _, driver in drivers:
            driver.quit()


def signals(url, user, password):
    """The Signals page once the first bar has closed: the CL composite's row (direction, score,
    horizon, last bar), its contributing signals, and the curves' and spreads' states."""
    driver = signed_in(browser(), url, user, password)
    try:
        open_page(driver, "signals")

        def composite(d):
            try:
                for row in d.find_elements(By.XPATH, "//table[@id='table-signals']//tr[td]"):
                    cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
                    if cells and cells[0] == "CL" and cells[2] and "warming up" not in cells:
                        return " | ".join(cells)
            except StaleElementReferenceException:
                return False
            return False
        step("composite", wait(driver, composite, 170))
        step("contributors", text_of(driver, "table-contributors"))
        step("states", text_of(driver, "table-signalstates"))
    finally:
        driver.quit()


def websocket(url, user, password, actions_file):
    """Sends each action over a WebSocket the page opens to /live, as the page's own script
    would, and prints the outcome the console answers with; then one with a forged token."""
    with open(actions_file) as handle:
        actions = json.load(handle)
    driver = signed_in(browser(), url, user, password)
    try:
        outcomes = driver.execute_async_script("""
            const actions = arguments[0], done = arguments[arguments.length - 1];
            const csrf = document.querySelector('meta[name="csrf"]').content;
            const socket = new WebSocket('ws://' + location.host + '/live');
            const results = [];
            const queue = actions.map(a => ({ csrf: csrf, action: a })).concat([{ csrf: 'forged', action: actions[0] }]);
            const next = () => queue.length ? socket.send(JSON.stringify(queue.shift())) : (socket.close(), done(results));
            socket.onopen = next;
            socket.onmessage = event => {
              const message = JSON.parse(event.data);
              if (message.type !== 'outcome') return;
              results.push(message.body.message);
              next();
            };
            socket.onerror = () => done(results.concat(['socket error']));
        """, actions)
        for index, outcome in enumerate(outcomes[:-1]):
            step("outcome %d" % index, outcome)
        step("forged", outcomes[-1])
    finally:
        driver.quit()


def limit_row(driver, key):
    """The text of the limit settings row `key` (control|scope), read again after a redraw."""
    def read(d):
        try:
            rows = d.find_elements(By.CSS_SELECTOR, "#table-limitsettings tr[data-key='%s']" % key)
            return rows[0].text.replace("\n", " ") if rows else False
        except StaleElementReferenceException:
            return False
    return wait(driver, read)


def limits(url, risk1, risk2, password):
    """Edits DESK1's max order size on the Risk page: a bad value is refused with the server's
    reason, a lower one takes effect at once, a higher one waits for the second risk manager."""
    first = signed_in(browser(), url, risk1, password)
    second = None
    try:
        open_page(first, "risk")
        step("row", limit_row(first, "maxOrderSize|account:DESK1"))
        click(first, "edit-maxOrderSize-account-DESK1")
        field = first.find_element(By.ID, "limit-value")
        step("editing", first.find_element(By.ID, "limit-scope").get_attribute("value") + " " + field.get_attribute("value"))

        def enter(value, expected):
            field = first.find_element(By.ID, "limit-value")
            field.clear()
            field.send_keys(value + "\n")
            wait(first, lambda d: expected in d.find_element(By.ID, "limit-result").text)
            return first.find_element(By.ID, "limit-result").text

        step("invalid", enter("ten", "expected"))
        step("lowered", enter("5", "set by"))
        wait(first, lambda d: " 5 " in " " + limit_row(d, "maxOrderSize|account:DESK1") + " ")
        step("shown", limit_row(first, "maxOrderSize|account:DESK1"))
        step("raise asked", enter("50", "waits"))
        wait(first, EC.presence_of_element_located((By.ID, "approve-1")))
        step("waiting", text_of(first, "table-approvals"))

        second = signed_in(browser(), url, risk2, password)
        open_page(second, "risk")
        wait(second, EC.presence_of_element_located((By.ID, "approve-1")))
        click(second, "approve-1")
        step("approved", alert_text(second, "approved by"))
        wait(first, lambda d: " 50 " in " " + limit_row(d, "maxOrderSize|account:DESK1") + " ")
        step("raised everywhere", limit_row(first, "maxOrderSize|account:DESK1"))
    finally:
        for driver in (first, second):
            if driver:
                driver.quit()


def screenshots(url, user, password, folder, audit_clordid):
    driver = signed_in(browser(), url, user, password)
    try:
        for page in [link.get_attribute("data-page") for link in driver.find_elements(By.CSS_SELECTOR, "nav a")]:
            click(driver, "nav-" + page)
            if page == "audit":
                wait(driver, EC.presence_of_element_located((By.ID, "audit-clordid"))).send_keys(audit_clordid)
                click(driver, "audit-search")
            wait(driver, lambda d: d.execute_script("return document.getElementById('main').dataset.page") == page
                 and d.find_elements(By.CSS_SELECTOR, "main table"))
            driver.save_screenshot("%s/%s.png" % (folder, page))
            step("screenshot", page)
        # A blotter row opens its order's lifecycle on the Audit page.
        click(driver, "nav-blotter")
        click(driver, "lifecycle-WH00000001")

        def lifecycle(d):
            try:
                rows = [row.text.replace("\n", " ") for row in d.find_elements(By.CSS_SELECTOR, "#table-audit tbody tr")]
            except StaleElementReferenceException:
                return False
            return rows or False
        rows = wait(driver, lifecycle)
        step("lifecycle", "%d rows: %s" % (len(rows), " / ".join(rows)))
    finally:
        driver.quit()


def entry(url, user, password, symbol, folder=None):
    """A trader opens the order ticket from the keyboard (n), previews a limit order (each
    limit's use after it), submits it, and sees it on the blotter as New with its name."""
    driver = signed_in(browser(), url, user, password)
    try:
        open_page(driver, "blotter")
        ActionChains(driver).send_keys("n").perform()
        wait(driver, lambda d: d.switch_to.active_element.get_attribute("id") == "ticket-symbol")
        step("ticket focused", driver.switch_to.active_element.get_attribute("id"))
        Select(driver.find_element(By.ID, "ticket-symbol")).select_by_value(symbol)
        Select(driver.find_element(By.ID, "ticket-account")).select_by_value("DESK1")
        Select(driver.find_element(By.ID, "ticket-type")).select_by_value("LIMIT")
        Select(driver.find_element(By.ID, "ticket-side")).select_by_value("BUY")
        driver.find_element(By.ID, "ticket-quantity").send_keys("3")
        driver.find_element(By.ID, "ticket-price").send_keys("40.00")
        click(driver, "ticket-preview")
        step("preview", text_of(driver, "preview-verdict"))
        rows = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "table.preview-limits tbody tr"))
        step("preview limits", " | ".join(row.text.replace("\n", " ") for row in rows))
        if folder:
            driver.save_screenshot("%s/entry.png" % folder)
        click(driver, "ticket-submit")
        step("submitted", text_of(driver, "ticket-outcome"))

        def console_row(d):
            for row in d.find_elements(By.CSS_SELECTOR, "#table-orders tbody tr"):
                try:
                    cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
                except StaleElementReferenceException:
                    return False
                if "CONSOLE" in cells and user in cells and "NEW" in cells:
                    return " ".join(cells)
            return False
        row = wait(driver, console_row)
        step("row", row)
        # Replace from the order's row: the ticket switches to the order, the quantity changes.
        order_id = row.split(" ")[0]
        click(driver, "replace-" + order_id)
        step("replace mode", text_of(driver, "ticket-mode"))
        quantity = driver.find_element(By.ID, "ticket-quantity")
        quantity.clear()
        quantity.send_keys("4")
        click(driver, "ticket-preview")
        wait(driver, lambda d: "2.66" in " ".join(r.text for r in d.find_elements(By.CSS_SELECTOR, "table.preview-limits tbody tr")))
        step("replace preview", text_of(driver, "preview-verdict"))
        click(driver, "ticket-submit")
        wait(driver, lambda d: "replace" in text_of(d, "ticket-outcome"))
        step("replaced", text_of(driver, "ticket-outcome"))
    finally:
        driver.quit()


if __name__ == "__main__":
    scenario, arguments = sys.argv[1], sys.argv[2:]
    try:
        {"lockout": lockout, "blotter": blotter, "killswitch": killswitch, "websocket": websocket,
         "screenshots": screenshots, "alerts": alerts, "limits": limits,
         "signals": signals, "entry": entry}[scenario](*arguments)
    except Exception as error:  # noqa: BLE001 - the test reads the failure from the output
        print("FAILED %s: %r" % (scenario, error), flush=True)
        sys.exit(1)
