"""The same checks on seven real rich editors (ProseMirror, TipTap, Lexical, Draft.js, Slate, Quill 2,
CKEditor 5), built from npm into e2e/editors (scripts/setup --dev): typed text intact (a typo taken
back with Backspace, a word selected and typed over), Mask and
pastes (guarded and clean, multi-line) leave the editor's MODEL equal to its DOM with the caret
where it belongs and one undo step, Enter makes a paragraph unless the page sends on Enter, and the
send guard asks before a `block` message leaves by the button or by Enter; the card, the paste dialog
and the send confirmation cover none of the page's controls (the editors' toolbars, the send button),
by the layout oracle's geometry (overlay_page.py). Each runs in Chromium and Firefox through the QA plugin's page helper (`cg_page`), which also fails any test that leaves a
console error (page or extension).

The model is read through the page's test hook (an `editor-model` event fills <output
id="editor-model"> with the editor's model text, paragraphs joined by "\\n"), never from the DOM; the
DOM text is read independently here (block edges and <br> are line breaks, editors' zero-width
placeholders dropped, no-break spaces read as spaces).
"""

from __future__ import annotations

import time

import pytest

from harness import E2E_DIR
from overlay_page import geometry

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

COMPOSER = '[contenteditable="true"]'
_MODEL_JS = """() => { document.dispatchEvent(new Event('editor-model'));
  return document.getElementById('editor-model').value; }"""
_DOM_TEXT_JS = """(selector) => {
  const root = document.querySelector(selector);
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
def editors_origin(cg_serve) -> str:
    if not (EDITORS_DIR / "dist" / "prosemirror.js").exists():
        pytest.fail("the editor pages are not built: run scripts/setup --dev (npm ci + build in e2e/editors)")
    return cg_serve(EDITORS_DIR)


class EditorPage:
    """The page helper (cg_page) on an editor page, plus the editor's model and DOM text."""

    def __init__(self, cg_page, origin: str, editor: str, *, enter_sends: bool) -> None:
        self.page = cg_page
        self.editor = editor
        self.url = f"{origin}/editor.html?editor={editor}&enter={'send' if enter_sends else 'newline'}"

    def open(self) -> EditorPage:
        self.page.tab.goto(self.url)
        self.page.poll(lambda: self.page.evaluate("() => document.documentElement.dataset.editorReady || ''"),
                       bool, TIMEOUT_S, lambda _: f"{self.editor}: the editor page did not start")
        self.page.use(COMPOSER, send="#send")
        self.page.click(COMPOSER)
        self.page.expect_status("connected")
        return self

    def model(self) -> str:
        return self.page.evaluate(_MODEL_JS)

    def dom(self) -> str:
        return self.page.evaluate(_DOM_TEXT_JS, COMPOSER)

    def thread(self) -> list[str]:
        return self.page.texts("#thread li .text")

    def pause_for_undo_group(self) -> None:
        self.page.wait(UNDO_GROUP_PAUSE_MS.get(self.editor, DEFAULT_PAUSE_MS) / 1000)

    def type(self, text: str) -> None:
        self.page.tab.type(text)  # into the focused composer, the caret where it is

    def press(self, keys: str) -> None:
        self.page.press(keys)

    def wait_model(self, accept, describe: str):
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            model = self.model()
            if accept(model):
                return model
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.editor}: {describe}; the model is {model!r}, the DOM {self.dom()!r}")
            self.page.wait(0.04)

    def expect_model(self, text: str, describe: str) -> None:
        self.wait_model(lambda model: model == text, f"{describe}: expected {text!r}")
        # React-based editors (Slate, Draft.js, Lexical) change the model first and render the DOM on
        # a later tick: wait for the DOM to catch up, and fail if it never does (or the model moves).
        deadline = time.monotonic() + TIMEOUT_S
        while (dom := self.dom()) != text and time.monotonic() < deadline:
            self.page.wait(0.04)
        assert dom == text, f"{self.editor}: model {text!r} but DOM {dom!r} ({describe})"
        assert self.model() == text, f"{self.editor}: the model moved on after matching ({describe})"

    def wait_for_block_mark(self) -> None:
        self.page.wait_for_marks(lambda marks: any(m.severity == "block" for m in marks), "a block mark")

    def caret_back_from_end(self, keys: int) -> None:
        """End, then ArrowLeft `keys` times, as a user would. Editors catch up with a caret moved
        natively on their next selectionchange (Slate up to 100 ms later), and Slate moves the caret
        on ArrowLeft from its model: give each key that time, as a person's typing does."""
        self.press("End")
        self.page.wait(0.15)
        for _ in range(keys):
            self.press("ArrowLeft")
            self.page.wait(0.03)
        self.page.wait(0.15)

    def caret_probe(self, at: int, base: str, describe: str) -> None:
        """Types a marker and checks the MODEL has it at `at`: where the editor's own caret is."""
        self.type("Z")
        self.expect_model(base[:at] + "Z" + base[at:], f"{describe}: a key typed lands at the caret")
        self.press("Backspace")
        self.expect_model(base, f"{describe}: Backspace takes the marker back")


_SELECTED_JS = """() => {
  const field = document.activeElement;
  return field && 'selectionStart' in field && typeof field.value === 'string'
    ? field.value.slice(field.selectionStart, field.selectionEnd)
    : String(document.getSelection());
}"""


def type_like_a_person(ed: EditorPage) -> None:
    """TEXT, typed with a typo taken back by Backspace while the extension has painted (or is
    painting) the text, and a misspelt last word selected with Shift+ArrowLeft and typed over."""
    ed.type("Hi Anna")
    ed.press("Backspace")
    ed.press("Backspace")
    ed.type(f"a, write to {EMAIL} and thnaks")
    ed.wait_for_block_mark()
    for _ in range(len("thnaks")):
        ed.press("Shift+ArrowLeft")
        ed.page.wait(0.03)  # a person's pace: Slate extends the selection from its model, one key at a time
    # The whole misspelt word is selected before it is typed over (on a loaded machine a fixed pause
    # once let Slate type over five letters of six), then Slate takes the selection in on its next
    # selectionchange.
    ed.page.poll(lambda: ed.page.evaluate(_SELECTED_JS), lambda s: s == "thnaks",
                 TIMEOUT_S, lambda s: f"{ed.editor}: Shift+ArrowLeft x6 selected {s!r}, not 'thnaks'")
    ed.page.wait(0.15)
    ed.type("thanks")


def assert_clear(cg_page, editor: str, state: str) -> None:
    """Nothing painted over a control of the editor page (toolbar buttons, the send button)."""
    problems = geometry(cg_page).problems()
    assert problems == [], f"{editor}, {state}, in {cg_page.browser_name}:\n" + "\n".join(problems)


def masked_line(line: str) -> bool:
    return "@" not in line and "ana.souza" not in line and "gmail" not in line


@pytest.mark.parametrize("editor", EDITORS)
def test_typed_text_is_intact_and_mask_keeps_model_dom_caret_and_one_undo_step(cg_page, editors_origin, editor):
    ed = EditorPage(cg_page, editors_origin, editor, enter_sends=False).open()
    type_like_a_person(ed)
    ed.expect_model(TEXT, "typed text, with a typo taken back and a word selected and typed over")
    ed.wait_for_block_mark()
    ed.caret_back_from_end(3)  # the caret inside "thanks", after the address
    caret = len(TEXT) - 3
    cg_page.screenshot(E2E_DIR / "results" / "editors" / f"{editor}-{cg_page.browser_name}-finding.png")
    cg_page.wait_for(lambda: (card := cg_page.card()) and card.visible, "the card")
    assert_clear(cg_page, editor, "the card")
    ed.pause_for_undo_group()

    def mask() -> str:
        cg_page.choose("mask")
        masked = ed.wait_model(lambda model: model != TEXT, "Mask changed nothing")
        assert masked.startswith("Hi Ana, write to ") and masked.endswith(" and thanks"), masked
        assert masked_line(masked), masked
        assert ed.dom() == masked, f"{editor}: model {masked!r} but DOM {ed.dom()!r} after Mask"
        return masked

    mask()
    ed.press("Control+Z")
    ed.expect_model(TEXT, "one undo after Mask")
    ed.wait_for_block_mark()  # the address is back, and so is its finding
    ed.caret_back_from_end(3)
    ed.pause_for_undo_group()
    masked = mask()
    ed.caret_probe(caret + len(masked) - len(TEXT), masked, "after Mask")


@pytest.mark.parametrize("editor", EDITORS)
def test_clean_and_guarded_multiline_pastes_keep_their_lines_and_undo_in_one_step(cg_page, editors_origin, editor):
    ed = EditorPage(cg_page, editors_origin, editor, enter_sends=False).open()
    ed.type(PREFIX)
    ed.expect_model(PREFIX, "typed prefix")
    ed.pause_for_undo_group()

    cg_page.paste(CLEAN_LINES)  # held while the companion checks it, then pasted through the editor
    ed.expect_model(PREFIX + CLEAN_LINES, "a clean three-line paste")
    ed.pause_for_undo_group()
    ed.press("Control+Z")
    ed.expect_model(PREFIX, "one undo after the clean paste")

    def paste_masked() -> str:
        cg_page.paste(GUARDED_LINES)
        cg_page.wait_for(cg_page.paste_dialog, "the paste dialog")
        assert ed.model() == PREFIX, "the paste landed before the user chose"
        assert_clear(cg_page, editor, "the paste dialog")
        cg_page.choose("paste-masked")
        landed = ed.wait_model(lambda model: model != PREFIX, "the masked paste did not land")
        lines = landed.split("\n")
        assert len(lines) == 3, f"{editor}: lines lost or added: {landed!r}"
        assert lines[0] == PREFIX + "first line" and lines[2] == "third line", landed
        assert lines[1].startswith("write to ") and lines[1].endswith(" please") and masked_line(lines[1]), landed
        assert ed.dom() == landed, f"{editor}: model {landed!r} but DOM {ed.dom()!r} after the masked paste"
        return landed

    ed.pause_for_undo_group()
    paste_masked()
    ed.pause_for_undo_group()
    ed.press("Control+Z")
    ed.expect_model(PREFIX, "one undo after the masked paste")
    landed = paste_masked()
    ed.caret_probe(len(landed), landed, "after the masked paste")


@pytest.mark.parametrize("editor", EDITORS)
def test_enter_makes_a_paragraph_and_the_send_button_is_guarded(cg_page, editors_origin, editor):
    ed = EditorPage(cg_page, editors_origin, editor, enter_sends=False).open()
    ed.type(TEXT)
    ed.wait_for_block_mark()
    ed.press("Enter")
    ed.type("next")
    ed.expect_model(TEXT + "\nnext", "Enter with a block finding on a page that does not send on Enter")
    assert cg_page.send_dialog() is None, "Enter that makes a paragraph was taken for a send"

    cg_page.send()
    cg_page.wait_for(cg_page.send_dialog, "the send confirmation (send button)")
    assert ed.thread() == []
    assert_clear(cg_page, editor, "the send confirmation")
    cg_page.choose("send-anyway")
    cg_page.poll(ed.thread, lambda sent: sent == [TEXT + "\nnext"], TIMEOUT_S, lambda sent: f"sent: {sent!r}")


@pytest.mark.parametrize("editor", EDITORS)
def test_enter_on_a_send_on_enter_page_asks_first_keeps_the_caret_and_sends_when_confirmed(
        cg_page, editors_origin, editor):
    ed = EditorPage(cg_page, editors_origin, editor, enter_sends=True).open()
    ed.type(TEXT)
    ed.wait_for_block_mark()
    ed.caret_back_from_end(1)

    ed.press("Enter")
    cg_page.wait_for(cg_page.send_dialog, "the send confirmation (Enter)")
    cg_page.choose("send-cancel")
    cg_page.wait_gone(cg_page.send_dialog, "the send confirmation after Keep editing")
    assert ed.thread() == []
    ed.expect_model(TEXT, "Keep editing")
    ed.caret_probe(len(TEXT) - 1, TEXT, "after Keep editing")

    ed.press("Enter")
    cg_page.wait_for(cg_page.send_dialog, "the send confirmation (Enter, again)")
    cg_page.choose("send-anyway")
    cg_page.poll(ed.thread, lambda sent: sent == [TEXT], TIMEOUT_S, lambda sent: f"sent: {sent!r}")
    ed.wait_model(lambda model: model == "", "the page did not clear its composer after sending")


@pytest.mark.parametrize("editor", ["prosemirror", "lexical"])
def test_enter_during_an_ime_composition_is_never_guarded(cg_page, editors_origin, editor):
    """Enter that commits a composition (real composition events: CDP in Chromium,
    nsITextInputProcessor in Firefox) is the input method's, even on a send-on-Enter page with a
    block finding: no confirmation, nothing sent."""
    ed = EditorPage(cg_page, editors_origin, editor, enter_sends=True).open()
    ed.type(TEXT + " ")
    ed.wait_for_block_mark()
    cg_page.compose("にほん")
    cg_page.press_composing("Enter")
    cg_page.wait(0.5)
    assert cg_page.send_dialog() is None, "Enter during a composition was guarded"
    assert ed.thread() == [], "Enter during a composition sent the message"


@pytest.mark.parametrize("editor", EDITORS)
def test_an_ime_composition_over_a_painted_finding_commits_intact(cg_page, editors_origin, editor):
    """A composition typed after a painted finding, its text growing step by step (the extension
    paints meanwhile), then committed (real composition events: CDP in Chromium,
    nsITextInputProcessor in Firefox): the editor's model holds exactly the committed text, and the
    finding is still underlined."""
    ed = EditorPage(cg_page, editors_origin, editor, enter_sends=False).open()
    base = f"Hi, write to {EMAIL} "
    ed.type(base)
    ed.wait_for_block_mark()
    for step in ("に", "にほ", "にほん"):
        cg_page.compose(step)
        cg_page.wait(0.1)
    cg_page.commit("日本")
    ed.type(" ok")
    ed.expect_model(base + "日本 ok", "a committed composition")
    cg_page.wait_for_marks(lambda marks: any(m.text == EMAIL and m.severity == "block" for m in marks),
                           "the address still underlined after the composition")
