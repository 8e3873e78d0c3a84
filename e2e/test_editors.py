"""The same checks on seven real rich editors (ProseMirror, TipTap, Lexical, Draft.js, Slate, Quill 2,
CKEditor 5), built from npm into e2e/editors (scripts/setup --dev): typed text intact, Mask and
pastes (guarded and clean, multi-line) leave the editor's MODEL equal to its DOM with the caret
where it belongs and one undo step, Enter makes a paragraph unless the page sends on Enter, and the
send guard asks before a `block` message leaves by the button or by Enter. The `page` fixture also
fails any test that leaves a console error (page or extension).

The model is read through the page's test hook `window.__editorModelText()` (paragraphs joined by
"\\n"), never from the DOM; the DOM text is read independently here (block edges and <br> are line
breaks, editors' zero-width placeholders dropped).
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from harness import E2E_DIR, SiteServer

EDITORS_DIR = E2E_DIR / "editors"
EDITORS = ["prosemirror", "tiptap", "lexical", "draft", "slate", "quill", "ckeditor"]
# Editors group edits made close together into one undo step (ProseMirror 500 ms, Quill 1 s, the
# Lexical page 300 ms), as they do for the user's own edits: a pause makes the next edit its own step.
UNDO_GROUP_PAUSE_MS = {"quill": 1100}
DEFAULT_PAUSE_MS = 600
TIMEOUT_S = 5.0

EMAIL = "ana.souza@gmail.com"
TEXT = f"Hi Ana, write to {EMAIL} and thanks"
PREFIX = "Brief: "
CLEAN_LINES = "first line\nsecond line\nthird line"
GUARDED_LINES = f"first line\nwrite to {EMAIL} please\nthird line"

_DOM_TEXT_JS = """(root) => {
  const BLOCKS = new Set(['ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIELDSET',
    'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN',
    'NAV', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TR', 'UL']);
  let text = '';
  let pending = false;
  const content = () => { if (pending && text && !text.endsWith('\\n')) text += '\\n'; pending = false; };
  const visit = (node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        const data = child.data.replace(/[\\u200b\\u2060\\ufeff]/g, '').replace(/\\u00a0/g, ' ');
        if (data) { content(); text += data; }
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.nodeName === 'BR') { content(); text += '\\n'; continue; }
        const block = BLOCKS.has(child.nodeName);
        if (block) pending = true;
        visit(child);
        if (block) pending = true;
      }
    }
  };
  visit(root);
  return text.replace(/\\n$/, '');
}"""


@pytest.fixture(scope="session")
def editor_site(browser):
    if not (EDITORS_DIR / "dist" / "prosemirror.js").exists():
        pytest.fail("the editor pages are not built: run scripts/setup --dev (npm ci + build in e2e/editors)")
    with SiteServer(EDITORS_DIR) as server:
        browser.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
        yield server


class EditorPage:
    def __init__(self, page: Page, site: SiteServer, editor: str, *, enter_sends: bool) -> None:
        self.page = page
        self.editor = editor
        self.url = f"{site.origin}/editor.html?editor={editor}&enter={'send' if enter_sends else 'newline'}"

    def open(self) -> EditorPage:
        self.page.goto(self.url)
        expect(self.page.locator("html[data-editor-ready]")).to_have_count(1)
        self.composer.click()
        expect(self.page.locator("contact-guard-root .cg-status").first).to_have_attribute(
            "data-status", "connected", timeout=10_000)
        return self

    @property
    def composer(self):
        return self.page.locator('[contenteditable="true"]').first

    @property
    def layer(self):
        return self.page.locator("contact-guard-root [data-cg-for]").first

    def action(self, name: str):
        return self.layer.locator(f'[data-action="{name}"]')

    @property
    def thread(self):
        return self.page.locator("#thread li .text")

    def model(self) -> str:
        return self.page.evaluate("window.__editorModelText()")

    def dom(self) -> str:
        return self.composer.evaluate(_DOM_TEXT_JS)

    def pause_for_undo_group(self) -> None:
        self.page.wait_for_timeout(UNDO_GROUP_PAUSE_MS.get(self.editor, DEFAULT_PAUSE_MS))

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def paste(self, text: str) -> None:
        self.page.evaluate("t => navigator.clipboard.writeText(t)", text)
        self.page.keyboard.press("Control+V")

    def wait_model(self, accept, describe: str):
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            model = self.model()
            if accept(model):
                return model
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.editor}: {describe}; the model is {model!r}, the DOM {self.dom()!r}")
            self.page.wait_for_timeout(40)

    def expect_model(self, text: str, describe: str) -> None:
        self.wait_model(lambda model: model == text, f"{describe}: expected {text!r}")
        assert self.dom() == text, f"{self.editor}: model {text!r} but DOM {self.dom()!r} ({describe})"

    def wait_for_block_mark(self) -> None:
        expect(self.layer.locator(".cg-mark[data-severity='block']").first).to_have_count(1, timeout=TIMEOUT_S * 1000)

    def caret_back_from_end(self, keys: int) -> None:
        """End, then ArrowLeft `keys` times, as a user would. Editors catch up with a caret moved
        natively on their next selectionchange (Slate up to 100 ms later), and Slate moves the caret
        on ArrowLeft from its model: give each key that time, as a person's typing does."""
        self.page.keyboard.press("End")
        self.page.wait_for_timeout(150)
        for _ in range(keys):
            self.page.keyboard.press("ArrowLeft")
            self.page.wait_for_timeout(30)
        self.page.wait_for_timeout(150)

    def caret_probe(self, at: int, base: str, describe: str) -> None:
        """Types a marker and checks the MODEL has it at `at`: where the editor's own caret is."""
        self.page.keyboard.type("Z")
        self.expect_model(base[:at] + "Z" + base[at:], f"{describe}: a key typed lands at the caret")
        self.page.keyboard.press("Backspace")
        self.expect_model(base, f"{describe}: Backspace takes the marker back")


def masked_line(line: str) -> bool:
    return "@" not in line and "ana.souza" not in line and "gmail" not in line


@pytest.mark.parametrize("editor", EDITORS)
def test_typed_text_is_intact_and_mask_keeps_model_dom_caret_and_one_undo_step(extension, page, editor_site, editor):
    ed = EditorPage(page, editor_site, editor, enter_sends=False).open()
    ed.type(TEXT)
    ed.expect_model(TEXT, "typed text")
    ed.wait_for_block_mark()
    ed.caret_back_from_end(3)  # the caret inside "thanks", after the address
    caret = len(TEXT) - 3
    shots = E2E_DIR / "results" / "editors"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{editor}-finding.png"))
    ed.pause_for_undo_group()

    def mask() -> str:
        ed.action("mask").first.click()
        masked = ed.wait_model(lambda model: model != TEXT, "Mask changed nothing")
        assert masked.startswith("Hi Ana, write to ") and masked.endswith(" and thanks"), masked
        assert masked_line(masked), masked
        assert ed.dom() == masked, f"{editor}: model {masked!r} but DOM {ed.dom()!r} after Mask"
        return masked

    mask()
    page.keyboard.press("Control+Z")
    ed.expect_model(TEXT, "one undo after Mask")
    ed.wait_for_block_mark()  # the address is back, and so is its finding
    ed.caret_back_from_end(3)
    ed.pause_for_undo_group()
    masked = mask()
    ed.caret_probe(caret + len(masked) - len(TEXT), masked, "after Mask")


@pytest.mark.parametrize("editor", EDITORS)
def test_guarded_multiline_paste_lands_masked_in_order_and_undoes_in_one_step(extension, page, editor_site, editor):
    ed = EditorPage(page, editor_site, editor, enter_sends=False).open()
    ed.type(PREFIX)
    ed.expect_model(PREFIX, "typed prefix")
    ed.pause_for_undo_group()

    def paste_masked() -> str:
        ed.paste(GUARDED_LINES)
        expect(ed.layer.locator(".cg-paste-dialog")).to_be_visible()
        assert ed.model() == PREFIX, "the paste landed before the user chose"
        ed.action("paste-masked").click()
        landed = ed.wait_model(lambda model: model != PREFIX, "the masked paste did not land")
        lines = landed.split("\n")
        assert len(lines) == 3, f"{editor}: lines lost or added: {landed!r}"
        assert lines[0] == PREFIX + "first line" and lines[2] == "third line", landed
        assert lines[1].startswith("write to ") and lines[1].endswith(" please") and masked_line(lines[1]), landed
        assert ed.dom() == landed, f"{editor}: model {landed!r} but DOM {ed.dom()!r} after the masked paste"
        return landed

    paste_masked()
    ed.pause_for_undo_group()
    page.keyboard.press("Control+Z")
    ed.expect_model(PREFIX, "one undo after the masked paste")
    landed = paste_masked()
    ed.caret_probe(len(landed), landed, "after the masked paste")


@pytest.mark.parametrize("editor", EDITORS)
def test_clean_multiline_paste_keeps_its_lines_and_undoes_in_one_step(extension, page, editor_site, editor):
    ed = EditorPage(page, editor_site, editor, enter_sends=False).open()
    ed.type(PREFIX)
    ed.expect_model(PREFIX, "typed prefix")
    ed.pause_for_undo_group()
    ed.paste(CLEAN_LINES)
    ed.expect_model(PREFIX + CLEAN_LINES, "a clean three-line paste")
    ed.pause_for_undo_group()
    page.keyboard.press("Control+Z")
    ed.expect_model(PREFIX, "one undo after the clean paste")
    ed.paste(CLEAN_LINES)
    ed.expect_model(PREFIX + CLEAN_LINES, "the clean paste again")
    ed.caret_probe(len(PREFIX + CLEAN_LINES), PREFIX + CLEAN_LINES, "after the clean paste")


@pytest.mark.parametrize("editor", EDITORS)
def test_enter_makes_a_paragraph_and_the_send_button_is_guarded(extension, page, editor_site, editor):
    ed = EditorPage(page, editor_site, editor, enter_sends=False).open()
    ed.type(TEXT)
    ed.wait_for_block_mark()
    page.keyboard.press("Enter")
    ed.type("next")
    ed.expect_model(TEXT + "\nnext", "Enter with a block finding on a page that does not send on Enter")
    expect(ed.layer.locator(".cg-send-confirm")).to_have_count(0)

    page.locator("#send").click()
    expect(ed.layer.locator(".cg-send-confirm")).to_be_visible()
    expect(ed.thread).to_have_count(0)
    ed.action("send-anyway").click()
    expect(ed.thread).to_have_count(1)
    expect(ed.thread.last).to_have_text(TEXT + "\nnext")


@pytest.mark.parametrize("editor", EDITORS)
def test_enter_on_a_send_on_enter_page_asks_first_keeps_the_caret_and_sends_when_confirmed(
        extension, page, editor_site, editor):
    ed = EditorPage(page, editor_site, editor, enter_sends=True).open()
    ed.type(TEXT)
    ed.wait_for_block_mark()
    ed.caret_back_from_end(1)

    page.keyboard.press("Enter")
    expect(ed.layer.locator(".cg-send-confirm")).to_be_visible()
    ed.action("send-cancel").click()
    expect(ed.layer.locator(".cg-send-confirm")).to_have_count(0)
    expect(ed.thread).to_have_count(0)
    ed.expect_model(TEXT, "Keep editing")
    ed.caret_probe(len(TEXT) - 1, TEXT, "after Keep editing")

    page.keyboard.press("Enter")
    expect(ed.layer.locator(".cg-send-confirm")).to_be_visible()
    ed.action("send-anyway").click()
    expect(ed.thread).to_have_count(1)
    expect(ed.thread.last).to_have_text(TEXT)
    ed.wait_model(lambda model: model == "", "the page did not clear its composer after sending")
