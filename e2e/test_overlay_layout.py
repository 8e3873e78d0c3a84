"""Cards that never get in the way, checked by geometry on pages built to trap them: a send button
and further fields right under the composer, a composer pinned to the bottom of the viewport,
composers in open shadow roots and same-origin frames, a dark page. Every state is photographed to
e2e/results/screens/ and every photo is checked: no painted panel meets a control of the page, every
panel is fully inside the viewport and in the top document (see overlay_page.py)."""

import shutil

import pytest
from playwright.sync_api import expect

from harness import REPO_DIR
from overlay_page import LayoutPage, update_docs_screenshots

# CG_UPDATE_SCREENSHOT=1 copies these states to the pictures in docs/overlay.md.
DOCS_PICTURES = {
    "block-card-send-below": REPO_DIR / "docs" / "images" / "overlay-card-beside-controls.png",
    "iframe-composer": REPO_DIR / "docs" / "images" / "overlay-card-over-frame.png",
}

BLOCK = "Thanks Ana! Files are ready. Add me on Skype or just write to ana.souza@gmail.com"
WARN = "add me on skype so we can talk faster"
INFO = "The big files: https://drive.google.com/drive/folders/1AbCdEfGhIjK"
EMAIL = "ana.souza@gmail.com"


def flagged(page, site, name: str, text: str, severity: str) -> LayoutPage:
    layout = LayoutPage(page, site, name).open()
    layout.type(text)
    layout.wait_for_marks(lambda marks: any(m.severity == severity for m in marks), f"a {severity} mark")
    return layout


def assert_clear(layout: LayoutPage, shot: str):
    """Photographs the state, then checks the photo's geometry."""
    path = layout.screenshot(shot)
    found = layout.geometry()
    if shot in DOCS_PICTURES and update_docs_screenshots() and not found.problems():
        DOCS_PICTURES[shot].parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_PICTURES[shot])
    assert found.problems() == [], f"{shot}: " + "\n".join(found.problems())
    return found


@pytest.mark.parametrize("name", ["send-below", "bottom"])
def test_block_card_covers_no_control(extension, page, site, name):
    layout = flagged(page, site, name, BLOCK, "block")
    expect(layout.banner).to_be_visible()
    expect(layout.banner).to_have_attribute("data-verdict", "block")
    expect(layout.banner.locator(".cg-finding[data-kind='email'] [data-action='mask']")).to_be_visible()
    found = assert_clear(layout, f"block-card-{name}")
    card = found.panel("cg-banner")
    assert card is not None and "[collapsed]" not in card["name"], "the focused composer's card is open"


def test_warn_card_covers_no_control(extension, page, site):
    layout = flagged(page, site, "send-below", WARN, "warn")
    expect(layout.banner).to_have_attribute("data-verdict", "warn")
    assert_clear(layout, "warn-card")


def test_info_never_opens_by_itself_but_on_hover_caret_and_shortcut(extension, page, site):
    layout = flagged(page, site, "send-below", INFO, "info")
    layout.wait_quiet()
    expect(layout.banner).to_have_count(0)  # a dotted underline only
    assert_clear(layout, "info-quiet")

    mark = next(m for m in layout.marks() if m.severity == "info")
    page.mouse.move((mark.rect["left"] + mark.rect["right"]) / 2, mark.rect["bottom"] - 2)
    expect(layout.banner).to_be_visible()
    expect(layout.banner).to_have_attribute("data-verdict", "info")
    expect(layout.banner.locator(".cg-finding[data-kind='link'][data-severity='info']")).to_be_visible()
    assert_clear(layout, "info-hover")
    page.mouse.move(5, 5)
    expect(layout.banner).to_have_count(0)

    layout.composer.focus()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # the caret inside the link: its card
    expect(layout.banner).to_be_visible()
    page.keyboard.press("End")  # at the very end of the text: not inside any more
    expect(layout.banner).to_have_count(0)


def test_the_card_is_reachable_by_keyboard_and_labelled(extension, page, site):
    layout = flagged(page, site, "send-below", BLOCK, "block")
    layout.set_caret(5)
    page.keyboard.press("Alt+ArrowDown")
    focused = page.evaluate("() => document.querySelector('contact-guard-root').shadowRoot.activeElement?.dataset.action")
    assert focused in ("mask", "ignore"), f"the shortcut put the focus on {focused!r}"
    labels = layout.banner.evaluate("""b => ({
      role: b.getAttribute('role'), title: b.getRootNode().getElementById(b.getAttribute('aria-labelledby'))?.textContent,
      described: [...b.querySelectorAll('button[aria-describedby]')].every(btn =>
        btn.getAttribute('aria-describedby').split(' ').every(id => btn.getRootNode().getElementById(id))),
      live: b.getRootNode().querySelector('[aria-live]')?.textContent ?? '',
    })""")
    assert labels["role"] == "group" and labels["title"], labels
    assert labels["described"], "every button is described by its finding"
    assert "Email address" in labels["live"] or "Request" in labels["live"], f"announcement: {labels['live']!r}"
    assert EMAIL not in labels["live"], "the live region never repeats the typed text"
    page.keyboard.press("Tab")
    inside = page.evaluate("() => Boolean(document.querySelector('contact-guard-root').shadowRoot.activeElement)")
    assert inside, "Tab moves between the card's buttons"
    page.keyboard.press("Escape")
    expect(layout.composer).to_be_focused()
    assert layout.selection() == (5, 5), "the caret is where it was"


def test_paste_dialog_covers_no_control(extension, page, site):
    layout = LayoutPage(page, site, "send-below").open()
    layout.type("Logo brief. ")
    layout.paste("reach me at ana.souza@gmail.com")
    expect(layout.paste_dialog).to_be_visible()
    expect(layout.paste_dialog).to_have_attribute("role", "alertdialog")
    expect(layout.action("paste-masked")).to_be_focused()
    assert_clear(layout, "paste-dialog")
    layout.action("paste-cancel").click()
    expect(layout.paste_dialog).to_have_count(0)


def test_send_confirmation_replaces_the_card(extension, page, site):
    layout = flagged(page, site, "send-below", BLOCK, "block")
    expect(layout.banner).to_be_visible()
    page.keyboard.press("Enter")
    expect(layout.send_confirm).to_be_visible()
    expect(layout.banner).to_be_hidden()  # replaced, never stacked
    found = assert_clear(layout, "send-confirm")
    assert found.panel("cg-banner") is None
    layout.action("send-cancel").click()
    expect(layout.send_confirm).to_have_count(0)
    expect(layout.banner).to_be_visible()
    assert_clear(layout, "card-after-send-cancel")


@pytest.mark.parametrize("state", ["connected", "offline", "unpaired"])
def test_chip_states_cover_no_control(browser, companion, page, site, state):
    from harness import free_port

    settings = {"port": companion.port, "token": companion.token}
    if state == "offline":
        settings["port"] = free_port()  # nothing listens there
    elif state == "unpaired":
        del settings["token"]  # not set up yet
    browser.replace_settings(settings)
    layout = LayoutPage(page, site, "bottom").open(expect_status=state)
    expect(layout.chip).to_be_visible()
    assert_clear(layout, f"chip-{state}")


def test_shadow_root_composers_are_watched_and_guarded(extension, page, site):
    layout = flagged(page, site, "shadow", BLOCK, "block")
    marks = layout.marks()
    assert [p for m in marks for p in layout.underline_problems(m)] == []
    expect(layout.banner).to_be_visible()
    assert_clear(layout, "shadow-composer")

    page.keyboard.press("Enter")  # the send guard, inside the shadow root
    expect(layout.send_confirm).to_be_visible()
    layout.action("send-anyway").click()
    expect(page.locator("gm-chat#chat li.mine")).to_have_text(BLOCK)
    layout.wait_for_text("")

    layout.paste("reach me at ana.souza@gmail.com")  # the paste guard, inside the shadow root
    expect(layout.paste_dialog).to_be_visible()
    layout.action("paste-masked").click()
    landed = layout.poll(layout.text, lambda t: t != "", 5.0, lambda t: f"nothing landed: {t!r}")
    assert EMAIL not in landed and landed.startswith("reach me at "), landed


def test_nested_late_and_added_shadow_roots_are_watched(extension, page, site):
    layout = LayoutPage(page, site, "shadow").open()
    # Two shadow roots deep, a contenteditable editor.
    notes = LayoutPage(page, site, "shadow")
    notes.composer_id = "shadow-rich"
    notes.composer.click()
    page.keyboard.type(BLOCK)
    marks = notes.wait_for_marks(lambda m: any(x.text == EMAIL for x in m), "the address in the nested editor")
    assert [p for m in marks for p in notes.underline_problems(m)] == []
    assert_clear(notes, "shadow-nested-editor")

    # A shadow root attached after load to an existing element: no DOM change announces it.
    expect(page.locator("body[data-late-ready='1']")).to_have_count(1)
    late = LayoutPage(page, site, "shadow")
    late.composer_id = "late-input"
    late.composer.click()
    page.keyboard.type(WARN)
    late.wait_for_marks(lambda m: any(x.severity == "warn" for x in m), "the request in the late shadow root")

    # A component added later.
    page.locator("#open-support").click()
    support = LayoutPage(page, site, "shadow")
    support.composer_id = "support-input"
    support.composer.click()
    page.keyboard.type("my number is +1 415 555 0134")
    support.wait_for_marks(lambda m: any(x.kind == "phone" for x in m), "the phone in the added component")
    assert layout.geometry().problems() == []


@pytest.mark.parametrize("name", ["iframe", "srcdoc"])
def test_frame_composer_gets_its_card_in_the_top_document(extension, page, site, name):
    layout = flagged(page, site, name, BLOCK, "block")
    assert [p for m in layout.marks() for p in layout.underline_problems(m)] == []
    expect(layout.banner).to_be_visible()
    found = assert_clear(layout, f"{name}-composer")
    card = found.panel("cg-banner")
    frame = page.locator(LayoutPage(page, site, name).frame_selector).bounding_box()
    assert card["rect"]["bottom"] > frame["y"] + frame["height"] or card["rect"]["top"] < frame["y"] or \
        card["rect"]["right"] > frame["x"] + frame["width"], "the card is bigger than the frame: it must reach past it"
    assert len(found.chips) == 1

    email = layout.banner.locator(".cg-finding[data-kind='email'] [data-action='mask']")
    email.click()
    masked = layout.poll(layout.text, lambda t: EMAIL not in t, 5.0, lambda t: f"Mask did nothing: {t!r}")
    assert masked.startswith("Thanks Ana!"), masked


def test_frame_send_guard(extension, page, site):
    layout = flagged(page, site, "iframe", BLOCK, "block")
    sent = layout.scope.locator("#thread li.mine .text")
    page.keyboard.press("Enter")
    expect(layout.send_confirm).to_be_visible()
    expect(layout.action("send-cancel")).to_be_focused()
    assert_clear(layout, "iframe-send-confirm")
    layout.action("send-cancel").click()
    expect(sent).to_have_count(0)
    layout.composer.focus()
    page.keyboard.press("Enter")
    layout.action("send-anyway").click()
    expect(sent).to_have_text(BLOCK)


@pytest.mark.parametrize("composer", ["chat-input", "rich-input"])
def test_dark_page_gets_dark_panels(extension, page, site, composer):
    layout = LayoutPage(page, site, "dark")
    layout.composer_id = composer
    layout.open()
    layout.type(BLOCK)
    layout.wait_for_marks(lambda m: any(x.severity == "block" for x in m), "a block mark")
    expect(layout.layer).to_have_attribute("data-theme", "dark")
    background = layout.banner.evaluate("b => getComputedStyle(b).backgroundColor")
    channels = [int(c) for c in background[background.index("(") + 1:background.index(")")].split(",")[:3]]
    assert sum(channels) / 3 < 60, f"the card is not dark on a dark page: {background}"
    assert_clear(layout, f"dark-{composer}")
