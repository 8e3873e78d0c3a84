"""Each site profile against its fixture page (e2e/fixtures/sites/, each file says what real markup it
is based on, or that none could be found), served at the marketplace's real address to the real
extension: the composer is found (and the site's search box is not), its surface is right, a plain
address is flagged, and the page's send control asks first."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

FIXTURES = Path(__file__).parent / "fixtures" / "sites"
ROOT = "contact-guard-root"
TEXT = "Sure, write to ana.souza@gmail.com with the files."

# fixture, address it is served at, composer id, search box id, surface, send control
PROFILES = [
    ("fiverr-inbox.html", "https://www.fiverr.com/inbox/ana_souza", "send-message-text-area", "gig-search",
     "message", 'button[aria-label="Send"]'),
    ("fiverr-inbox-slate.html", "https://www.fiverr.com/inbox/ana_souza", "slate-editor", "gig-search",
     "message", 'button[aria-label="Send"]'),
    ("upwork-room.html", "https://www.upwork.com/ab/messages/rooms/room_0123abcd", "room-composer", "talent-search",
     "message", "button.air3-btn-circle"),
    ("freelancer-thread.html", "https://www.freelancer.com/messages/thread/123456", "thread-composer", "project-search",
     "message", 'button[aria-label="Send message"]'),
    ("peopleperhour-messages.html", "https://www.peopleperhour.com/messages/view/98765", "message-body", "job-search",
     "message", 'button[type="submit"]'),
]


@pytest.mark.parametrize(("fixture", "url", "composer", "search", "surface", "send"), PROFILES,
                         ids=[p[0].removesuffix(".html") for p in PROFILES])
def test_the_profile_reads_its_fixture_page(extension, page, console, fixture, url, composer, search, surface, send):
    origin = url.split("/", 3)[:3]
    page.route("/".join(origin) + "/**",
               lambda route: route.fulfill(body=(FIXTURES / fixture).read_text(), content_type="text/html"))
    page.goto(url)
    layer = page.locator(f'{ROOT} [data-cg-for="{composer}"]')
    expect(layer).to_have_attribute("data-surface", surface)
    expect(page.locator(f'{ROOT} [data-cg-for="{search}"]')).to_have_count(0)

    page.locator(f"#{composer}").click()
    page.keyboard.type(TEXT)
    expect(layer.locator('.cg-mark[data-severity="block"]').first).to_be_attached(timeout=10_000)

    page.locator(send).click()
    expect(layer.locator(".cg-send-confirm")).to_be_visible()
    expect(page.locator("#sent")).to_have_text("")
    layer.locator('[data-action="send-cancel"]').click()
    assert console.unexpected_errors() == []
