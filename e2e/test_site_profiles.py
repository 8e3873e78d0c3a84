"""Each site profile against its saved-page fixture (e2e/fixtures/sites/; each file says what real
markup it is based on, or that none could be found), served at the marketplace's real address to the
real extension, in Chromium and Firefox (e2e/marketplace.py): the profile's rules built on real
markup are the ones that read the fixture (not a looser fallback that would read any page); the
composer is found with the right surface and the site's search box is not watched; a plain address
is underlined under its characters; neither the card nor the send confirmation covers a control of
the page (geometry); the page's real send control asks first and nothing is sent."""

import functools
import json
import subprocess

import pytest

from harness import REPO_DIR

ADDRESS = "ana.souza@gmail.com"
TEXT = f"Sure, write to {ADDRESS} with the files."

FREELANCER_PROJECT_URL = "https://www.freelancer.com/projects/logo-design/modern-logo-for-bakery"

# fixture, address it is served at, composer id, search box id, surface, send control (None: Enter)
PROFILES = [
    ("fiverr-inbox.html", "https://www.fiverr.com/inbox/ana_souza", "send-message-text-area", "gig-search",
     "message", 'button[aria-label="Send"]'),
    ("fiverr-inbox-slate.html", "https://www.fiverr.com/inbox/ana_souza", "slate-editor", "gig-search",
     "message", 'button[aria-label="Send"]'),
    # Reduced from a saved copy of the real 2023 inbox: its Send is a plain span, not a button.
    ("fiverr-inbox-2023.html", "https://www.fiverr.com/inbox/ana_souza", "message-box-text-area", "gig-search",
     "message", ".message-action-bar .message-action"),
    ("fiverr-pro-inbox.html", "https://pro.fiverr.com/inbox/ana_souza", "pro-message-box", "pro-search",
     "message", 'button[title="Send message"]'),
    ("upwork-room.html", "https://www.upwork.com/ab/messages/rooms/room_0123abcd", "room-composer", "talent-search",
     "message", "button.air3-btn-circle"),
    ("freelancer-thread.html", "https://www.freelancer.com/messages/thread/123456", "thread-composer", "project-search",
     "message", None),  # Enter sends there (real); the icon button's label is not known
    # Built from the web app's own typing-box component (its source is public).
    ("freelancer-typing-box.html", "https://www.freelancer.com/messages/thread/123456", "typing-box", "project-search",
     "message", 'fl-button[fltrackinglabel="SendMessageLink"] button'),
    # A chat box popped out over a project page (no Send button there: Enter sends, the source).
    ("freelancer-chat-box.html", FREELANCER_PROJECT_URL, "chat-typing-box", "project-search", "message", None),
    ("peopleperhour-messages.html", "https://www.peopleperhour.com/workstream/98765", "message-body", "job-search",
     "message", 'button[type="submit"]'),
]

# The profile's rules that rest on real markup (docs/sites.md names the sources), per fixture: each
# must be in the profile and be the rule that reads the fixture. The profiles also carry looser
# rules for markup nobody has seen; without this a real selector broken in the profile (or gone
# from the page) would go unnoticed, the looser rule reading the fixture instead.
#   surface: a selector of the FIRST surface rule holding the composer
#   composers: a selector of `composers` holding the composer; send: one of `send` holding the
#   page's send control; send_keys: a `sendKeys` composer selector holding the composer
REAL_RULES = {
    "fiverr-inbox.html": {"surface": "#send-message-text-area", "send": 'button[aria-label="Send" i]'},
    "fiverr-inbox-slate.html": {"surface": "#send-message-text-area", "send": 'button[aria-label="Send" i]',
                                "send_keys": "#send-message-text-area"},
    "fiverr-pro-inbox.html": {"surface": '[data-testid="message-box"]', "send": 'button[title="Send message" i]'},
    "fiverr-inbox-2023.html": {"surface": "#message-box-text-area", "send": ".message-action-bar .message-action",
                               "send_keys": "#message-box-text-area"},
    "upwork-room.html": {"composers": ".up-d-composer", "surface": ".up-d-composer",
                         "send": ".up-d-composer button.air3-btn-circle", "send_keys": ".up-d-composer"},
    "freelancer-thread.html": {"send_keys": '[placeholder*="type a message" i]'},
    "freelancer-typing-box.html": {"surface": "app-typing-box", "send": 'fl-button[fltrackinglabel="SendMessageLink" i]',
                                   "send_keys": '[data-uitest-target="chatbox-input-field"]'},
    "freelancer-chat-box.html": {"surface": "app-typing-box", "send_keys": '[data-uitest-target="chatbox-input-field"]'},
    # PeoplePerHour: no real markup is known; the fixture only checks the generic rules.
    "peopleperhour-messages.html": {},
}


@functools.cache
def site_profiles() -> dict:
    """The extension's site profiles (extension/src/lib/site-profiles.js), read by Node as data."""
    script = ("const m = await import(process.argv[1]); "
              "console.log(JSON.stringify(Object.fromEntries(m.default.map((p) => [p.id, p]))));")
    module = (REPO_DIR / "extension" / "src" / "lib" / "site-profiles.js").as_uri()
    node = REPO_DIR / ".venv" / "bin" / "node"
    out = subprocess.run([str(node), "--input-type=module", "-e", script, module],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


# Which of `rules` hold the composer / the send control in the page (closest(), as sites.js reads them).
_RULES_JS = """([composer, send, rules]) => {
  const field = document.getElementById(composer), control = send ? document.querySelector(send) : null;
  const holds = (el, selector) => Boolean(el && el.closest(selector));
  const split = (list) => list.flatMap((s) => s.split(/,\\s*(?![^\\[]*\\])/));
  const first = rules.surfaces.find((rule) => holds(field, rule.selector));
  return {
    surface: first ? split([first.selector]).filter((s) => holds(field, s)) : [],
    composers: split(rules.composers ?? []).filter((s) => holds(field, s)),
    send: rules.send.filter((s) => holds(control, s)),
    send_keys: split((rules.sendKeys ?? []).map((k) => k.composer)).filter((s) => holds(field, s)),
  };
}"""


def profile_for(url: str) -> dict:
    host = url.split("/")[2]
    return next(p for p in site_profiles().values() if host in p["hosts"])


def assert_real_rules_read_the_page(cg_page, fixture: str, url: str, composer: str, send: str | None) -> None:
    profile = profile_for(url)
    read = cg_page.evaluate(_RULES_JS, [composer, send, profile])
    for part, selector in REAL_RULES[fixture].items():
        assert selector in read[part], (
            f"{fixture}: the {profile['id']} profile's real {part} rule {selector!r} does not read the page "
            f"(the rules that do: {read[part]})")

_LAYERS_JS = """() => Array.from(
  document.querySelector("contact-guard-root")?.shadowRoot?.querySelectorAll("[data-cg-for]") ?? [],
  (layer) => [layer.dataset.cgFor, layer.dataset.surface ?? null])"""



def watched(cg_page) -> dict:
    """composer key -> surface, for every composer the extension has a layer for."""
    return dict(map(tuple, cg_page.evaluate(_LAYERS_JS)))


@pytest.mark.parametrize(("fixture", "url", "composer", "search", "surface", "send"), PROFILES,
                         ids=[p[0].removesuffix(".html") for p in PROFILES])
def test_the_profile_reads_its_fixture_page(cg_page, marketplace, fixture, url, composer, search, surface, send):
    cg_page.open(marketplace.serve(cg_page, fixture, url), composer=f"#{composer}", send=send)
    assert_real_rules_read_the_page(cg_page, fixture, url, composer, send)

    cg_page.type(TEXT)
    marks = cg_page.wait_for_marks(lambda marks: any(m.text == ADDRESS and m.severity == "block" for m in marks),
                                   "the address underlined")
    assert watched(cg_page).get(composer) == surface
    mark = next(m for m in marks if m.text == ADDRESS)
    assert cg_page.underline_problems(mark) == []
    assert cg_page.verdict() == "block"
    assert cg_page.covered_controls() == [], "the card covers a control of the page"

    cg_page.send()  # a real click on the page's own send control
    dialog = cg_page.wait_for(cg_page.send_dialog, "the send confirmation")
    assert "send-cancel" in dialog.actions
    assert cg_page.covered_controls() == [], "the send confirmation covers a control of the page"
    assert cg_page.texts("#sent") == [""], "sent before the user confirmed"
    cg_page.choose("send-cancel")
    assert cg_page.text() == TEXT

    # The site's search box (in the header) is left alone.
    cg_page.click(f"#{search}")
    cg_page.use(f"#{search}").type(ADDRESS)
    cg_page.wait(0.6)
    assert search not in watched(cg_page)


# Fiverr's order page: its chat, requirements, delivery and custom-offer composers each get their
# surface (the engine's advice differs by surface). The page's frame and its chat box are named as a
# userscript that runs there reads them; the requirements, delivery and offer composers are invented
# (no real markup of them is public, docs/sites.md): it checks that the profile's class-name
# patterns and paths do what the profile says. The same page at a gig's address is not watched.
ORDER_URL = "https://www.fiverr.com/orders/FO81C2D5E7/activities"
GIG_URL = "https://www.fiverr.com/ana_souza/design-a-modern-logo"
ORDER_COMPOSERS = {"order-chat": "message", "order-requirements": "requirements",
                   "order-delivery": "delivery", "order-offer": "offer"}


def test_fiverr_order_page_composers_get_their_surfaces_and_a_gig_page_none(cg_page, marketplace):
    cg_page.open(marketplace.serve(cg_page, "fiverr-order.html", ORDER_URL), composer="#order-chat")
    for composer in ORDER_COMPOSERS:
        cg_page.use(f"#{composer}").type(TEXT)
        cg_page.wait_for_marks(lambda marks: any(m.text == ADDRESS for m in marks), f"the address in #{composer}")
    assert watched(cg_page) == ORDER_COMPOSERS

    cg_page.tab.goto(marketplace.serve(cg_page, "fiverr-order.html", GIG_URL))
    cg_page.use("#order-chat").type(TEXT)
    cg_page.wait(0.6)
    assert watched(cg_page) == {}, "a gig page is not an order page"


UPWORK_ROOM_URL = "https://www.upwork.com/ab/messages/rooms/room_0123abcd"


# How long the send guard takes to learn that a key added a line (send-guard.js: LEARN_AFTER_MS +
# LINE_STAYS_MS), with a margin.
LEARNED_S = 2.4


def test_upwork_enter_asks_first_and_shift_enter_breaks_the_line(cg_page, marketplace):
    """An Upwork room's composer sends on Enter, before the page learns anything (its first Enter
    would send): with a block finding Enter asks first and nothing is sent; Shift+Enter is TipTap's
    line break and is never guarded. (docs/sites.md: the profile's sendKeys, from a public
    automation module that sent one message per typed line.) An Enter that sent without emptying
    the composer (this fixture keeps the text) teaches nothing that would let Enter through."""
    cg_page.open(marketplace.serve(cg_page, "upwork-room.html", UPWORK_ROOM_URL), composer="#room-composer")
    cg_page.type("Hello Ana")
    cg_page.press("Enter")  # no finding yet: let through, and the page sends
    assert cg_page.texts("#sent") == ["sent"]
    cg_page.evaluate("() => { document.getElementById('sent').textContent = ''; }")
    cg_page.wait(LEARNED_S)
    cg_page.press("Control+A")
    cg_page.type(TEXT)
    cg_page.wait_for_marks(lambda marks: any(m.text == ADDRESS and m.severity == "block" for m in marks),
                           "the address underlined")
    cg_page.press("Shift+Enter")
    cg_page.wait(0.5)
    assert cg_page.send_dialog() is None, "Shift+Enter (a line break) was guarded"
    cg_page.press("Enter")
    dialog = cg_page.wait_for(cg_page.send_dialog, "the send confirmation on Enter")
    assert "send-cancel" in dialog.actions
    assert cg_page.texts("#sent") == [""], "sent before the user confirmed"
    cg_page.choose("send-cancel")
    assert cg_page.texts("#sent") == [""]


def test_freelancer_chat_box_is_watched_on_a_project_page_and_the_bid_form_is_not(cg_page, marketplace):
    """Off the message pages, only Freelancer's floating chat boxes are watched (the profile's
    `everywhere`): the project page's own bid form is not a chat."""
    cg_page.open(marketplace.serve(cg_page, "freelancer-chat-box.html", FREELANCER_PROJECT_URL), composer="#chat-typing-box")
    cg_page.type(TEXT)
    cg_page.wait_for_marks(lambda marks: any(m.text == ADDRESS for m in marks), "the address in the chat box")
    cg_page.click("#bid-proposal")
    cg_page.use("#bid-proposal").type(TEXT)
    cg_page.wait(0.6)
    assert watched(cg_page) == {"chat-typing-box": "message"}


FIVERR_INBOX_URL = "https://www.fiverr.com/inbox/ana_souza"


def test_fiverr_enter_that_makes_a_line_is_let_through_once_the_page_showed_it(cg_page, marketplace):
    """Fiverr's profile guards Enter (whether it sends is the user's own setting in the inbox); on
    the saved 2023 inbox Enter makes a new line. Before the page has shown what Enter does, the first
    Enter with a block finding asks and nothing is sent; once an Enter let through has added a line
    that stayed, the page's behaviour beats the profile: Enter makes its line unasked while the
    block finding stands, and the Send control still asks."""
    url = marketplace.serve(cg_page, "fiverr-inbox-2023.html", FIVERR_INBOX_URL)
    send = ".message-action-bar .message-action"
    cg_page.open(url, composer="#message-box-text-area", send=send)
    cg_page.type(TEXT)
    block = lambda marks: any(m.text == ADDRESS and m.severity == "block" for m in marks)  # noqa: E731
    cg_page.wait_for_marks(block, "the address underlined")
    cg_page.press("Enter")
    cg_page.wait_for(cg_page.send_dialog, "the confirmation on the first Enter (the profile: Enter may send)")
    cg_page.choose("send-cancel")
    assert cg_page.texts("#sent") == [""]

    cg_page.open(url, composer="#message-box-text-area", send=send)  # a fresh page: nothing learned
    greeting = "Hi Ana, the logo files are ready."
    cg_page.type(greeting)
    cg_page.press("Enter")  # no finding: let through, and the textarea makes a line
    cg_page.wait(LEARNED_S)
    cg_page.type(TEXT)
    cg_page.wait_for_marks(block, "the address underlined")
    cg_page.press("Enter")
    cg_page.wait_for_text(f"{greeting}\n{TEXT}\n")
    cg_page.wait(0.5)
    assert cg_page.send_dialog() is None, "Enter, which makes a line here, asked as if it sent"
    assert cg_page.texts("#sent") == [""]
    cg_page.send()  # the page's Send control: still guarded
    cg_page.wait_for(cg_page.send_dialog, "the confirmation on Send")
    cg_page.choose("send-cancel")
    assert cg_page.texts("#sent") == [""]


SCREENSHOTS = REPO_DIR / "e2e" / "results" / "platform-words"


@pytest.mark.parametrize("fixture, url, composer, place", [
    ("upwork-room.html", UPWORK_ROOM_URL, "#room-composer", "Upwork messages"),
    ("freelancer-typing-box.html", "https://www.freelancer.com/messages/thread/123456", "#typing-box", "the Freelancer chat"),
    ("peopleperhour-messages.html", "https://www.peopleperhour.com/workstream/98765", "#message-body",
     "the PeoplePerHour WorkStream"),
    ("fiverr-inbox-2023.html", FIVERR_INBOX_URL, "#message-box-text-area", "the order chat"),  # Fiverr's own word
])
def test_the_card_suggests_the_platform_s_own_place_to_talk(cg_page, marketplace, fixture, url, composer, place):
    """The site profile's platform name goes with each text to the companion, whose suggestions name
    that platform's place to talk (companion/engine/data/platform_chats.tsv): no "order chat" (Fiverr's
    word) on Upwork, Freelancer or PeoplePerHour."""
    cg_page.open(marketplace.serve(cg_page, fixture, url), composer=composer)
    cg_page.type(TEXT)
    cg_page.wait_for_marks(lambda marks: any(m.text == ADDRESS and m.severity == "block" for m in marks),
                           "the address underlined")
    card = cg_page.wait_for(lambda: (c := cg_page.card()) and c.visible and c.findings and c, "the card")
    said = " ".join(f.text for f in card.findings)
    assert place in said, f"the card does not say {place!r}: {said!r}"
    if place != "the order chat":
        assert "order chat" not in said, said
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    cg_page.screenshot(SCREENSHOTS / f"{fixture.removesuffix('.html')}-{cg_page.browser_name}.png")
