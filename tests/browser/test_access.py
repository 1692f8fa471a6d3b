"""The page works with the keyboard alone, names every control, and fits a phone's screen."""

from __future__ import annotations

from playwright.sync_api import FileChooser, Page, expect

from tests.browser.screenshots import shot

# Every visible control with the name a screen reader would read: its label, aria-label or text.
UNNAMED_CONTROLS = """
() => [...document.querySelectorAll('input, select, button, progress')]
  .filter((el) => el.offsetParent !== null)
  .filter((el) => {
    const labelled = el.labels && [...el.labels].some((l) => l.textContent.trim());
    const aria = (el.getAttribute('aria-label') || '').trim() || el.getAttribute('aria-labelledby');
    const text = el.tagName === 'BUTTON' && el.textContent.trim();
    return !(labelled || aria || text);
  })
  .map((el) => el.outerHTML)
"""


def test_every_control_has_a_name_for_screen_readers(signed_in: Page) -> None:
    assert signed_in.evaluate(UNNAMED_CONTROLS) == []
    signed_in.get_by_role("button", name="English").click()
    assert signed_in.evaluate(UNNAMED_CONTROLS) == []


def test_a_keyboard_user_reaches_the_token_and_the_file_picker(page: Page, reader: str) -> None:
    # Playwright intercepts file choosers only once a listener exists; set one up early so that
    # the interception is in place before the key press (a late one races with the dialog).
    choosers: list[FileChooser] = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))
    # A newcomer's cursor starts in the token field.
    expect(page.locator("#token")).to_be_focused()
    page.keyboard.type(reader)
    page.keyboard.press("Enter")
    expect(page.locator("#balance")).not_to_have_text("–")

    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "choose-file":
            break
    expect(page.locator("#choose-file")).to_be_focused()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    assert not chooser.value.is_multiple()
    shot(page, "17-keyboard-focus")


def test_the_page_fits_a_phone_screen(signed_in: Page) -> None:
    page = signed_in
    page.set_viewport_size({"width": 375, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    box = page.get_by_role("button", name="Choisir un fichier").bounding_box()
    assert box is not None
    assert 0 <= box["x"] and box["x"] + box["width"] <= 375
    shot(page, "18-phone", full_page=True)
