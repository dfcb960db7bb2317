"""The install hint (issues 15 and 18): after a check-in on a later day than the first, in a
browser tab, one dismissible card says how to keep Thaw on the device — Chromium's own install
dialog, or on iPhone Safari's Share → Add to Home Screen and why (storage cleared after 7 days)."""

from __future__ import annotations

from playwright.sync_api import expect

from .app import check_in, open_app
from .conftest import new_phone, wait_for_offline_ready

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)

FIRST_SEEN_YESTERDAY = r"""async () => {
  // The first check-in was on an earlier day: the setting the app wrote then, moved back a day.
  const db = await new Promise((resolve) => { const r = indexedDB.open('thaw'); r.onsuccess = () => resolve(r.result); });
  const tx = db.transaction('settings', 'readwrite');
  const store = tx.objectStore('settings');
  const today = await new Promise((resolve) => { const q = store.get('firstSeen'); q.onsuccess = () => resolve(q.result); });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today ?? '')) return null; // not noted yet: the test is wrong
  const d = new Date(`${today}T12:00:00`); d.setDate(d.getDate() - 1);
  store.put(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`, 'firstSeen');
  await new Promise((resolve) => { tx.oncomplete = resolve; });
  db.close();
  return today;
}"""


def hint(page):
    return page.get_by_role("complementary").filter(has_text="Home Screen")


def test_on_iphone_a_later_visit_explains_add_to_home_screen_once(browser, watch, base_url):
    context = new_phone(browser, watch, user_agent=IPHONE)
    page = context.new_page()
    open_app(page, base_url)
    check_in(page, "Calm", "peaceful")  # the first day: nothing to suggest yet
    expect(page.get_by_text("Noted. Naming it is the practice.")).to_be_visible()
    expect(hint(page)).to_have_count(0)
    assert page.evaluate(FIRST_SEEN_YESTERDAY)
    page.reload()
    page.wait_for_selector("body[data-ready=checkin]")
    check_in(page, "Sad", "lonely")
    card = hint(page)
    expect(card).to_be_visible()
    expect(card.get_by_role("heading", name="Add Thaw to your Home Screen")).to_be_visible()
    expect(card).to_contain_text("7 days")
    expect(card).to_contain_text("Add to Home Screen")
    box = card.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844, "in view after Save"
    card.get_by_role("button", name="Got it").tap()
    expect(card).to_have_count(0)
    check_in(page, "Happy", "content")
    page.reload()
    page.wait_for_selector("body[data-ready=checkin]")
    check_in(page, "Numb / can’t tell")
    expect(page.get_by_text("Noted. Naming it is the practice.")).to_be_visible()
    expect(hint(page)).to_have_count(0)  # answered: never again
    context.close()


def test_chromium_offers_its_install_dialog_on_a_later_visit(installable_phone, base_url, watch):
    """A persistent profile, where Chromium finds Thaw installable and fires beforeinstallprompt."""
    page = installable_phone.pages[0] if installable_phone.pages else installable_phone.new_page()
    watch.attach_page(page)
    page.add_init_script(
        "addEventListener('beforeinstallprompt', () => { window.offered = true; })"
    )
    page.goto(base_url + "/")
    wait_for_offline_ready(page)
    page.wait_for_selector("body[data-ready=checkin]")
    check_in(page, "Calm", "peaceful")
    expect(page.get_by_text("Noted. Naming it is the practice.")).to_be_visible()  # the first day
    expect(page.get_by_role("heading", name="Keep Thaw on this device")).to_have_count(0)
    assert page.evaluate(FIRST_SEEN_YESTERDAY)
    page.reload()
    page.wait_for_function("() => window.offered === true", timeout=15_000)
    page.wait_for_selector("body[data-ready=checkin]")
    check_in(page, "Sad", "lonely")
    card = page.get_by_role("complementary").filter(has_text="Keep Thaw on this device")
    expect(card).to_be_visible()
    expect(card.get_by_role("button", name="Install Thaw")).to_be_visible()
    card.get_by_role("button", name="Not now").tap()
    expect(card).to_have_count(0)
    check_in(page, "Happy", "content")
    expect(page.get_by_text("Noted. Naming it is the practice.")).to_be_visible()
    expect(page.get_by_role("heading", name="Keep Thaw on this device")).to_have_count(0)
    assert watch.errors == []
