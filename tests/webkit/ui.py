"""What a person does in Thaw, in WebKit through Selenium: the same steps as tests/e2e/app.py.

Elements are found as in the Chromium suite, by role and accessible name (`By`, `label`): one
small script computes both in the page, the way Playwright's get_by_role / get_by_label do for
the markup Thaw uses (implicit roles of HTML elements, aria-labelledby, aria-label, <label>, text
content), and keeps only elements that are rendered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from tests.e2e.app import READ_ENTRIES, SEED_ENTRIES

FIND = r"""
const [role, name, exact, hasText, scope] = arguments;  // scope: [role, name] or null
const ROLES = {
  button: 'button, input[type=button], input[type=submit], input[type=reset]',
  link: 'a[href]',
  radio: 'input[type=radio]',
  checkbox: 'input[type=checkbox]',
  textbox: 'input:not([type]), input[type=text], input[type=email], input[type=url], '
    + 'input[type=tel], input[type=search], textarea',
  heading: 'h1, h2, h3, h4, h5, h6',
  navigation: 'nav',
  dialog: 'dialog',
  status: 'output',
  img: 'img[alt]:not([alt=""])',
  region: 'section[aria-label], section[aria-labelledby]',
};
const CONTROLS = 'input, textarea, select';
const FROM_CONTENT = new Set(['button', 'link', 'radio', 'checkbox', 'heading', 'tab', 'option']);
const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
const text = (el) => norm(el.textContent);
/** Text a screen reader would read from content: aria-hidden parts and <img alt> as said. */
function said(node) {
  if (node.nodeType === Node.TEXT_NODE) return node.data;
  if (node.nodeType !== Node.ELEMENT_NODE || node.getAttribute('aria-hidden') === 'true') return '';
  if (node.localName === 'img') return ' ' + (node.getAttribute('alt') || '') + ' ';
  return [...node.childNodes].map(said).join('');
}
function nameOf(el, asRole) {
  const by = el.getAttribute('aria-labelledby');
  if (by) {
    const parts = by.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean);
    return norm(parts.map(text).join(' '));
  }
  const aria = norm(el.getAttribute('aria-label'));
  if (aria) return aria;
  if (el.labels && el.labels.length) return norm([...el.labels].map(text).join(' '));
  if (FROM_CONTENT.has(asRole)) return norm(said(el));
  return norm(el.getAttribute('title') || el.getAttribute('placeholder'));
}
const rendered = (el) => el.getClientRects().length > 0
  && getComputedStyle(el).visibility !== 'hidden';
const matches = (value, wanted) => exact
  ? value === norm(wanted) : value.toLowerCase().includes(norm(wanted).toLowerCase());
function find(root, role, name, hasText) {
  const candidates = role
    ? [...root.querySelectorAll(`[role="${role}"]` + (ROLES[role] ? ', ' + ROLES[role] : ''))]
        .filter((el) => !el.hasAttribute('role') || el.getAttribute('role') === role)
    : [...root.querySelectorAll(CONTROLS)];
  return candidates.filter((el) => rendered(el)
    && (name == null || matches(nameOf(el, role), name))
    && (hasText == null || matches(text(el), hasText)));
}
const roots = scope ? find(document, scope[0], scope[1], null) : [document];
return roots.flatMap((root) => find(root, role, name, hasText));
"""

STABLE = """
// Playwright's "stable": the same box in two animation frames running (the wheel's words fade
// and move in; the page may be scrolling to the moment after Save).
const [element, done] = arguments;
element.scrollIntoView({ block: 'center', inline: 'center' });
let last = null;
let same = 0;
const step = () => {
  const r = element.getBoundingClientRect();
  const box = [r.x, r.y, r.width, r.height].join();
  same = box === last ? same + 1 : 0;
  last = box;
  if (same >= 2) done(true); else requestAnimationFrame(step);
};
step();
setTimeout(() => done(false), 2000);
"""

T = TypeVar("T")
TIMEOUT = 20.0  # generous: the machine runs other suites at the same time
# Every step finds its element again on each try, as Playwright's locators do: a handle gone
# stale (re-rendered) or a click that landed on something else only means "try again".
RETRY = (
    StaleElementReferenceException,
    ElementClickInterceptedException,
    ElementNotInteractableException,
)


def wait(condition: Callable[[], T], timeout: float = TIMEOUT, message: str = "") -> T:
    """Poll `condition` until it returns something truthy (as Playwright's expect does)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while True:
        try:
            value = condition()
            if value:
                return value
        except RETRY as error:
            last = error
        if time.monotonic() > deadline:
            raise TimeoutException(f"waited {timeout:.0f} s for {message or condition}") from last
        time.sleep(0.1)


@dataclass(frozen=True)
class By:
    """A locator: role and accessible name (role None: a form field by its label), optionally
    with some text inside and inside another role/name (e.g. the link in the "Sections" nav)."""

    role: str | None
    name: str | None = None
    exact: bool = True
    has_text: str | None = None
    within: tuple[str, str] | None = None

    def __str__(self) -> str:
        return (
            f"{self.role or 'field'} {self.name!r}"
            + (f" with text {self.has_text!r}" if self.has_text else "")
            + (f" in {self.within[0]} {self.within[1]!r}" if self.within else "")
        )

    def all(self, d: WebDriver) -> list[WebElement]:
        within = list(self.within) if self.within else None
        return d.execute_script(FIND, self.role, self.name, self.exact, self.has_text, within)


def label(name: str, exact: bool = False) -> By:
    """The form field with this label (as Playwright's get_by_label)."""
    return By(None, name, exact=exact)


def first(d: WebDriver, by: By, timeout: float = TIMEOUT) -> WebElement:
    """The first rendered element `by` finds; waits for one."""
    element = wait(lambda: (by.all(d) or [None])[0], timeout, str(by))
    if by.role and by.name is not None and by.exact:
        # WebKit's own accessibility tree must agree with the script's reading of the markup.
        assert (element.aria_role, element.accessible_name) == (by.role, by.name), str(by)
    return element


def visible(d: WebDriver, by: By, timeout: float = TIMEOUT) -> str:
    """Wait for `by` to be shown; its text."""
    return wait(lambda: first(d, by, timeout).text or " ", timeout, str(by)).strip()


def gone(d: WebDriver, by: By, timeout: float = TIMEOUT) -> None:
    wait(lambda: not by.all(d), timeout, f"{by} to be hidden")


def scroll_to(d: WebDriver, by: By, timeout: float = TIMEOUT) -> WebElement:
    """Bring `by` to the middle of the screen, as a person scrolls to it, and wait until it
    stands still there (a frame has been drawn: `content-visibility: auto` parts are laid out)."""

    def attempt() -> WebElement | None:
        element = (by.all(d) or [None])[0]
        return element if element and d.execute_async_script(STABLE, element) else None

    return wait(attempt, timeout, f"scroll to {by}")


def tap(d: WebDriver, by: By, timeout: float = TIMEOUT) -> None:
    """Click `by` once it is there, stable and not covered (WebDriver's click is a real one)."""

    def attempt() -> bool:
        element = first(d, by, timeout)
        if not d.execute_async_script(STABLE, element):
            return False
        element.click()
        return True

    wait(attempt, timeout, f"tap {by}")


def fill(d: WebDriver, by: By, value: str, timeout: float = TIMEOUT) -> None:
    def attempt() -> bool:
        element = first(d, by, timeout)
        element.clear()
        element.send_keys(value)
        return element.get_property("value") == value

    wait(attempt, timeout, f"fill {by}")


def ready(d: WebDriver, view: str, timeout: float = TIMEOUT) -> None:
    wait(
        lambda: d.execute_script("return document.body.dataset.ready") == view,
        timeout,
        f"view {view!r}",
    )


def open_app(d: WebDriver, base_url: str, route: str = "") -> None:
    d.get(f"{base_url}/{route}")
    ready(d, route.lstrip("#").split("/")[0] or "checkin")


CHECKED = """const [name] = arguments;
const said = (radio) => radio.getAttribute('aria-label')
  || radio.textContent.replace('\u2713', '').replace(/\u00ad/g, '').trim();
return [...document.querySelectorAll('.wheel [role=radio][aria-checked=true]')]
  .some((radio) => [name, `Just ${name.toLowerCase()}`].includes(said(radio)));"""


def choose(d: WebDriver, name: str) -> None:
    """Tap a feeling on the wheel; it is chosen (a core stays at the centre as "Just …")."""
    tap(d, By("radio", name))
    wait(lambda: d.execute_script(CHECKED, name), message=f"{name!r} chosen")


# The moment after Save comes in once its modules load (slowly on a busy machine), then the
# page scrolls to it: a tap before that can land where the wheel was a frame ago.
MOMENT = "return document.activeElement?.matches('#suggestion-slot .moment') === true"


def save(d: WebDriver) -> None:
    tap(d, By("button", "Save"))
    visible(d, By("status", has_text="Thank you for noticing", exact=False))
    wait(lambda: d.execute_script(MOMENT), message="the moment after Save, focused")


def check_in(d: WebDriver, core: str, word: str | None = None) -> None:
    choose(d, core)
    if word:
        choose(d, word)
    save(d)


def open_row(d: WebDriver, title: str) -> None:
    """Open one of the check-in's <details class="detail-row"> rows by tapping its summary."""
    is_open = (
        "return [...document.querySelectorAll('.detail-row')].some((row) =>"
        " row.querySelector('summary').textContent.includes(arguments[0]) && row.open)"
    )

    def tap_summary() -> bool:
        summaries = d.find_elements("css selector", ".detail-row > summary")
        mine = [summary for summary in summaries if title in summary.text]
        if not mine or not d.execute_async_script(STABLE, mine[0]):
            return False
        mine[0].click()
        return True

    if not d.execute_script(is_open, title):
        wait(tap_summary, message=f"row {title!r}")
    wait(lambda: d.execute_script(is_open, title), message=f"row {title!r} open")


def go(d: WebDriver, tab: str) -> None:
    tap(d, By("link", tab, within=("navigation", "Sections")))
    ready(d, {"Check in": "checkin"}.get(tab, tab.lower()))


def history_cards(d: WebDriver) -> list[str]:
    """The text of each History row shown, newest first ("" while a row is still fading in)."""
    return [card.text for card in d.find_elements("css selector", "#history-root .entry-card")]


def history(d: WebDriver, count: int, *showing: str, timeout: float = TIMEOUT) -> list[str]:
    """Wait for History to show `count` rows, each readable, with every text in `showing`
    among them (a re-render after an edit can briefly show the old rows); their text, newest
    first."""

    def shown() -> list[str] | None:
        cards = history_cards(d)
        whole = "\n".join(cards)
        ok = len(cards) == count and all(cards) and all(text in whole for text in showing)
        return cards if ok else None

    return wait(shown, timeout, f"{count} History rows" + (f" with {showing}" if showing else ""))


def sync_status(d: WebDriver) -> str:
    return d.find_element("css selector", ".sync-status").text


def sync_now(d: WebDriver) -> None:
    go(d, "Settings")
    tap(d, By("button", "Sync now"))
    wait(lambda: sync_status(d) == "Up to date.", 30, "Up to date.")


def stored(d: WebDriver) -> list[dict]:
    """Every entry in IndexedDB, read through the app's own db module (as tests/e2e/app.py)."""
    return d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"({READ_ENTRIES})().then(done, (error) => done({{error: String(error)}}));"
    )


def seed(d: WebDriver, entries: list[dict]) -> None:
    """Write check-ins straight into IndexedDB through the app's db module (tests/e2e/app.py):
    for a history to look at, not a journey of its own."""
    error = d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"({SEED_ENTRIES})(arguments[0]).then(() => done(null), (e) => done(String(e)));",
        entries,
    )
    assert error is None, error


def local_today(d: WebDriver) -> str:
    return d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "import(document.querySelector('meta[name=thaw-static]').content + '/js/stats.js')"
        ".then((stats) => done(stats.localToday()));"
    )


def controlled(d: WebDriver) -> bool:
    return d.execute_script("return navigator.serviceWorker.controller !== null")
