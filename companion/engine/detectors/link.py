"""URLs and bare domains that lead to one person, meeting or profile on an off-platform channel
(channels.json: wa.me/<number>, t.me/<name>, zoom.us/j/<id>, calendly.com/<name>, paypal.me/<name>,
upwork.com/freelancers/<id>…), also defanged ("wa[.]me", "hxxps://", "t(.)me"), spelled
("zoom dot us slash j slash 123") or spaced out ("w a . m e / 1 4 1 5…").

Meeting ids after a meeting app's name ("Zoom ID: 845 1234 5678", "meet: abc-defg-hij") count too.
A bare platform domain without an id ("add a wa.me link to my footer") is not a link to someone.
File-hosting links (Google Drive, Dropbox, WeTransfer…) are the allowed large-delivery exception:
EXCEPTION (info) with a reason that names it.

Any other site (a host with a real top-level domain, email_tlds.txt) blocks when it is given as a
route to reach the writer: a way to reach them on it near it (pack class site_contact: "contact
form", "rubrique contact", "お問い合わせフォーム", "联系方式"; a "there" request; a quoted button label such
as "'Message me' button") and the site the writer's own ("my portfolio", "موقعي", class site) or a
request to reach them. A portfolio with no contact route, a site the work is about ("add a contact
form to my site", grammar site_work_verbs), file names, placeholders, references and the platform's
own links stay clean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from companion.engine.context.scan import Cues, cues_of, within
from companion.engine.detectors.base import bounded
from companion.engine.lexicon.registry import APP_SCHEMES, DOMAINS, FILE_HOSTING, PROFILE_SITES, category_of, label
from companion.engine.document import Document
from companion.engine.model import Finding, Kind, Severity
from companion.engine.text import View
from companion.engine.lexicon.compiled import regex
from companion.engine.lexicon import packs
from companion.engine.lexicon.automaton import unspaced
from companion.engine.lexicon.files import LazyPattern, alternation, load_table, load_words
from companion.engine.lexicon.grammar import GRAMMAR
from companion.engine.text import normalize

MASK = "[link removed]"


# "w a . m e / 1 4 1 5": single characters separated by single spaces.
_SPACED_RUN = regex(r"(?<!\S)(?:\S ){4,}\S(?!\S)")
# A spelled " dot " only before a label of a registry host ("wa dot me", "chat dot whatsapp dot com"):
# "at dot at dot" stays as it is, so a long text of them costs one scan and no rewrite.
_HOST_LABELS = sorted({label for host in (*DOMAINS, *FILE_HOSTING) for label in host.split(".")}, key=lambda w: (-len(w), w))
# ... and the packs' words for "." and "/" ("instagram punto com barra x", "t точка me слэш x"), and a
# spaced "." before a host label ("t . me / x")
_DOT_WORDS = alternation(["dot", *(w for w in {normalize(w).text for w in packs.email_words("dot")} if not unspaced(w))])
_SLASH_WORDS = frozenset(["slash", *(normalize(w).text for w in GRAMMAR.get("slash_words", ()))])
_DEFANG = regex(  # the leading lookahead (what every form starts with) skips other characters fast
    r"(?=[\s\[({h])(?:\s*(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\})\s*"
    rf"|\s+(?:{_DOT_WORDS}|\.)\s+(?=(?:{'|'.join(map(re.escape, _HOST_LABELS))})(?![a-z0-9-]))"
    rf"|\s*\[/\]\s*|\s+(?:{alternation(_SLASH_WORDS)})\s+|\s+/\s+|hxxp|\[:\])"
)
_DEFANG_TO = {"hxxp": "http", "[:]": ":"}
_PACK_DOT = regex(rf"\s(?:{_DOT_WORDS}|\.)\s")
_SPACED_DOT = regex(r"\.(?<=\s\.)(?=\s)")  # led by the literal dot: a fast scan
_PACK_DOT_LATIN = frozenset(w for w in {normalize(w).text for w in packs.email_words("dot")} if w.isascii() and w.isalpha())
# Whether _DEFANG has work: the same markers, each led by a literal (a fast scan) or a blank.
_DEFANGED = regex(
    r"\[(?:\.|dot|/|:)\]|\((?:\.|dot)\)|\{(?:\.|dot)\}|hxxp| / "
    rf"|\s(?:{alternation(_SLASH_WORDS)})\s"
    rf"|\s(?:{_DOT_WORDS}|\.)\s+(?=(?:{'|'.join(map(re.escape, _HOST_LABELS))})(?![a-z0-9-]))"
)
# Only the top-level domains of registry and file-hosting hosts: "john.smith" is not a host here.
_TLDS = sorted({host.rsplit(".", 1)[1] for host in (*DOMAINS, *FILE_HOSTING)}, key=lambda w: (-len(w), w))
# A dotted name ending in one of those top-level domains ("wa.me", not "logo.png"): the gate before
# the URL regex, which every URL matches (led by the literal dot: a fast scan).
_DOTTED_NAME = regex(rf"\.(?<=[a-z0-9]\.)(?:{'|'.join(_TLDS)})(?![a-z0-9-])")
_URL = regex(
    r"(?<![@\w.-])(?:(?:https?|ftp)://)?"
    rf"((?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.){{1,6}}(?:{'|'.join(_TLDS)}))"
    r"(?![a-z0-9-])(/[^\s<>\"'\]\[)(]*)?"
)
_TRAILING = ".,;:!?'\")]}"
# Any other site's link whose path has the shape of one person's profile (channels.json
# profile_sites): "mostaql.com/u/nasser", "kwork.ru/user/maxim", "lancers.jp/profile/x",
# "soomgo.com/profile/users/123", "medium-like.site/@name". The profile word may follow up to two
# other segments (a language, a section: "sribu.com/id/freelancer/indra"); the id is not a page word.
_ANY_HOST_URL = regex(
    r"(?<![@\w.-])(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,6}[a-z]{2,24})(?![a-z0-9-])"
    r"(/[^\s<>\"'\]\[)(]*)"
)
_PROFILE_PATH = regex(
    r"^(?:/[^/?#\s]{1,20}){0,2}?/(?:"
    + "|".join(map(re.escape, sorted(PROFILE_SITES["segments"], key=len, reverse=True)))
    + r")/(?:[^/?#\s]{1,20}/)?(?!(?:"
    + "|".join(map(re.escape, sorted(PROFILE_SITES["not_ids"], key=len, reverse=True)))
    + r")(?![^/?#\s]))(?=[^/?#\s]*[^\W\d_])[^/?#\s]{2,}"
    r"|^/(?:[^/?#\s]{1,20}/)?(?:u|user|users|profile|profiles)/\d{4,}"
    r"|^/@(?=[^/?#\s]*[^\W\d_])[^/?#\s]{2,}"
)
# Whether _ANY_HOST_URL may find a profile: a profile word as a path segment, or "/@".
_PROFILE_SEGMENT = regex(
    r"/(?:" + "|".join(map(re.escape, sorted(PROFILE_SITES["segments"], key=len, reverse=True))) + r")/|/@"
)
_NOT_PROFILE_HOSTS = frozenset(PROFILE_SITES["not_hosts"])
# An app's link scheme with something after it ("viber://chat?number=%2B380...", "tg://resolve?domain=x").
_APP_LINK = regex(
    r"(?<![a-z0-9+.-])(" + "|".join(map(re.escape, sorted(APP_SCHEMES, key=len, reverse=True))) + r")://[^\s<>\"']{3,}"
)
_MEETING_APPS = frozenset({"zoom", "google_meet", "teams", "webex", "skype"})
# A 9-11 digit meeting id (spaced or dashed), or a Google Meet code.
_MEETING_ID = regex(r"(?<![\d-])\d{3}[ -]?\d{3,4}[ -]?\d{3,4}(?![\d-])|(?<![a-z-])[a-z]{3}-[a-z]{4}-[a-z]{3}(?![a-z-])")


def detect(doc: Document, *, gated: bool = True) -> Iterable[Finding]:
    """`gated=False` skips the pre-check (and runs every pass): the property tests compare both."""
    text = doc.view.text
    cues = cues_of(doc)
    meeting = not cues.channels.isdisjoint(_MEETING_APPS)
    # A defanged, spelled or spaced-out link ("wa[.]me", "zoom dot us", "w a . m e"): substring checks.
    defanged = (
        "dot" in text or "hxxp" in text or "[.]" in text or "(.)" in text or "{.}" in text or " . " in text
        # "instagram punto com barra x": a pack's word for "." among the text's words, or in another script
        or not _PACK_DOT_LATIN.isdisjoint(doc.view.words())
        or (not text.isascii() and _PACK_DOT.search(text) is not None)
        or ("." in text and _SPACED_DOT.search(text) is not None)  # "t . me / x" (any blanks)
        or ("/" in text and _BLANK_DOT_HOST.search(text) is not None)  # "t me/x"
    )
    hosts = defanged or _DOTTED_NAME.search(text) is not None  # whether the URL pass may find any
    # A site given as a route to reach the writer: the pack cues it needs, then a dotted host.
    sites = (
        not cues.classes.isdisjoint(_ROUTE_CLASSES)
        and not cues.classes.isdisjoint(_OWNER_CLASSES)
        and _SITE_DOTTED.search(text) is not None
    )
    profiles = _PROFILE_SEGMENT.search(text) is not None or "://" in text
    if not gated:
        return _candidates(doc, cues, True, True, True, True, True)
    if not meeting and not hosts and not profiles and not sites:
        return ()  # most messages: no meeting app and no host, so no generator is started
    return _candidates(doc, cues, meeting, defanged, hosts, profiles, sites)


@bounded
def _candidates(
    doc: Document, cues: Cues, meeting: bool, defanged: bool, hosts: bool, profiles: bool, sites: bool = False
) -> Iterator[Finding]:
    if meeting:
        yield from _meeting_ids(doc, cues)
    if sites:
        yield from _contact_sites(doc, cues)
    if profiles:
        yield from _profile_links(doc)
        yield from _app_links(doc)
    if not hosts:
        return
    view = doc.view
    if defanged:
        view = _undefanged(view)
        if _DOTTED_NAME.search(view.text) is None:
            return  # "at dot at dot": no host, spelled out or not
    for m in _URL.finditer(view.text):
        host = m.group(1)
        if host.startswith("www."):
            host = host[4:]
        path = m.group(2) or ""
        end = m.end()
        while end > m.start(1) and view.text[end - 1] in _TRAILING:
            end -= 1
        path = path[: max(0, len(path) - (m.end() - end))]
        found = _classify(host, path)
        if found is None:
            continue
        channel, is_file_host = found
        start, o_end = view.to_original(m.start(), end)
        if is_file_host:
            yield Finding(
                Kind.LINK,
                Severity.INFO,
                start,
                o_end,
                "link.file_hosting",
                _file_hosting_reason(doc.surface),
                None,
                None,
                None,
            )
        else:
            yield _candidate(start, o_end, channel)


def _meeting_ids(doc: Document, cues: Cues) -> Iterator[Finding]:
    """A meeting id or code after a meeting app's name: "Zoom ID: 845 1234 5678", "meet: abc-defg-hij"."""
    text = doc.view.text
    for cue in cues.of("channel", "channel_weak"):
        if cue.arg not in _MEETING_APPS:
            continue
        sentence_end = cues.sentence(cue.start)[1]
        m = _MEETING_ID.search(text, cue.end, min(sentence_end, cue.end + 40))
        if m:
            start, end = doc.view.to_original(*m.span())
            yield _candidate(start, end, cue.arg, "link.meeting_id")


def _profile_links(doc: Document) -> Iterator[Finding]:
    """Links to a person's profile on a site the registry does not list (see _PROFILE_PATH)."""
    text = doc.view.text
    for m in _ANY_HOST_URL.finditer(text):
        host = m.group(1)
        if _registry_host(host) or any(host == h or host.endswith("." + h) for h in _NOT_PROFILE_HOSTS):
            continue  # the registry pass judges its own hosts; reference sites stay clean
        if _PROFILE_PATH.match(m.group(2)) is None:
            continue
        end = m.end()
        while end > m.start(1) and text[end - 1] in _TRAILING:
            end -= 1
        start, o_end = doc.view.to_original(m.start(), end)
        yield _candidate(start, o_end, None, "link.profile")


# Contact sites (see the module's docstring). Cue classes: a way to reach the writer on a site, and
# what makes the site the writer's (their own site, or a request to reach them).
_ROUTE_CLASSES = frozenset({"site_contact", "there", "reach"})
_OWNER_CLASSES = frozenset({"site", "reach", "there"})
_SITE_TLDS = sorted(load_words("email_tlds.txt"), key=lambda w: (-len(w), w))
# The gate: a dot between a letter or digit and one of those endings (led by the literal dot).
_SITE_DOTTED = regex(rf"\.(?<=[a-z0-9]\.)(?:{'|'.join(_SITE_TLDS)})(?![a-z0-9-])")
_SITE_HOST = regex(
    r"(?<![@\w.-])(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,4}"
    rf"(?:{'|'.join(_SITE_TLDS)}))(?![a-z0-9-])(/[^\s<>\"'\]\[)(]*)?"
)
_RESERVED = load_table("email_reserved.tsv")
_RESERVED_TLDS = frozenset(v for k, v in _RESERVED if k == "tld")
_RESERVED_DOMAINS = frozenset(v for k, v in _RESERVED if k == "domain")
_RESERVED_LABELS = frozenset(v for k, v in _RESERVED if k == "label")
# "logo.ai", "main.py", "readme.md": a file name whose extension is also a country's domain.
_FILE_EXTENSIONS = frozenset(GRAMMAR.get("file_extensions", ()))
_PLATFORM_NAMES = frozenset(GRAMMAR.get("platform_names", ()))
_WORK_VERBS = {normalize(w).text for w in GRAMMAR.get("site_work_verbs", ())}
# Words of scripts written without spaces ("デザイン", "设计") are found glued; the others as whole words.
_SITE_WORK_VERBS = LazyPattern(
    r"(?<![^\W_])(?:" + alternation(w for w in _WORK_VERBS if not unspaced(w)) + r")(?![^\W_])"
    "|" + alternation(w for w in _WORK_VERBS if unspaced(w))
)
_ROUTE_REACH = 160  # characters between the host and the way to reach the writer on it
_OWNER_REACH = 200  # ... and the words that make the site the writer's
_QUOTE_MARKS = "'\"\u2018\u201c\u300c"


def _contact_sites(doc: Document, cues: Cues) -> Iterator[Finding]:
    """Sites given as a route to reach the writer: "My portfolio is at x.studio, there's a contact
    form at the bottom", "ポートフォリオサイト x.jp のお問い合わせフォームからご連絡ください"."""
    text = doc.view.text
    reaches = cues.of("reach", "there")
    # A request to reach the writer counts as the way there only as a button's quoted label
    # ("may 'Message me' button dun"); "message me if you like it" may mean here.
    routes = sorted(
        [*cues.of("site_contact", "there"), *(h for h in cues.of("reach") if h.start and text[h.start - 1] in _QUOTE_MARKS)],
        key=lambda h: h.start,
    )
    if not routes:
        return
    # A request to reach the writer makes the site theirs when it follows the way there ("…のお問い合わせ
    # フォームからご連絡ください", "kontak ada di x.com, chat aku dari situ"), not before it ("message me if
    # the contact form on x.com breaks").
    first_route = routes[0].start
    owners = sorted([*cues.of("site"), *(h for h in reaches if h.start >= first_route)], key=lambda h: h.start)
    for m in _SITE_HOST.finditer(text):
        host = m.group(1).removeprefix("www.")
        if not _personal_site(host):
            continue
        a, b = m.span()
        if not within(routes, max(0, a - _ROUTE_REACH), b + _ROUTE_REACH):
            continue
        if not within(owners, max(0, a - _OWNER_REACH), b + _OWNER_REACH):
            continue
        # "can you add a contact form to my site x.com?": the site is the work, unless the writer also
        # asks to be reached ("write me there").
        s_start, s_end = cues.sentence(a)
        if not within(reaches, max(first_route, s_start), s_end) and (
            _SITE_WORK_VERBS.search(text, s_start, a) or _SITE_WORK_VERBS.search(text, b, s_end)
        ):
            continue  # (the host's own name is no verb: "x.design")
        end = m.end()
        while end > m.start(1) and text[end - 1] in _TRAILING:
            end -= 1
        start, o_end = doc.view.to_original(a, end)
        yield Finding(
            Kind.LINK,
            Severity.BLOCK,
            start,
            o_end,
            "link.contact_site",
            "This site is given as a way to reach you outside the platform (its contact form or page).",
            None,
            "Let's keep the conversation here in the order chat.",
            MASK,
        )


def _personal_site(host: str) -> bool:
    """Whether a host may be someone's own site: not a registry or reference host (judged elsewhere),
    a placeholder, a file name or the platform's own."""
    labels = host.split(".")
    if labels[-1] in _FILE_EXTENSIONS and len(labels) == 2 or labels[-1] in _RESERVED_TLDS:
        return False
    if host in _RESERVED_DOMAINS or labels[0] in _RESERVED_LABELS or labels[0] in _PLATFORM_NAMES:
        return False
    if _registry_host(host) or any(host == h or host.endswith("." + h) for h in _NOT_PROFILE_HOSTS):
        return False
    return any(ch.isalpha() for ch in labels[0])


def _app_links(doc: Document) -> Iterator[Finding]:
    """Links in an app's own scheme: they open a chat or call with someone in that app."""
    text = doc.view.text
    if "://" not in text:
        return
    for m in _APP_LINK.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in _TRAILING:
            end -= 1
        start, o_end = doc.view.to_original(m.start(), end)
        yield _candidate(start, o_end, APP_SCHEMES[m.group(1)])


def _registry_host(host: str) -> bool:
    parts = host.removeprefix("www.").split(".")
    return any(".".join(parts[i:]) in DOMAINS or ".".join(parts[i:]) in FILE_HOSTING for i in range(len(parts) - 1))


# A registry host with a blank for its dot, a path after it ("talk faster: t me/nightowl_vfx", "wa me/4415..."):
# the dot dropped so that a filter misses it.
_BLANK_DOT_HOSTS = sorted({host.replace(".", " ") for host in DOMAINS if host.count(".") == 1}, key=lambda w: (-len(w), w))
_BLANK_DOT_HOST = regex(rf"(?<![a-z0-9.])(?:{'|'.join(map(re.escape, _BLANK_DOT_HOSTS))})(?=/[a-z0-9@_+])")


def _undefanged(view: View) -> View:
    text = view.text
    if "/" in text and _BLANK_DOT_HOST.search(text):
        view = view.rewrite(_BLANK_DOT_HOST, lambda m: m.group().replace(" ", "."))
        text = view.text
    if _SPACED_RUN.search(text):
        view = view.rewrite(_SPACED_RUN, _joined)
    if _DEFANGED.search(view.text):
        view = view.rewrite(_DEFANG, _replacement)
    return view


def _joined(m: re.Match[str]) -> str | None:
    """A spaced-out run without its spaces, when it can be a link (it has a dot)."""
    return m.group().replace(" ", "") if "." in m.group() else None


def _replacement(m: re.Match[str]) -> str:
    found = m.group().strip()
    if found in _DEFANG_TO:
        return _DEFANG_TO[found]
    return "/" if "/" in found or found in _SLASH_WORDS else "."


def _classify(host: str, path: str) -> tuple[str | None, bool] | None:
    """(channel, is_file_host) for a registry host with an identifying path, else None."""
    parts = host.split(".")
    for i in range(max(0, len(parts) - 4), len(parts) - 1):  # registry hosts have at most 4 labels
        candidate = ".".join(parts[i:])
        entry = DOMAINS.get(candidate)
        if entry is not None:
            channel, id_path = entry
            if id_path is None or id_path.search(path):
                return channel, False
            return None
        if candidate in FILE_HOSTING:
            return None, True
    return None


def _file_hosting_reason(surface: str) -> str:
    if surface == "delivery":
        return "File-hosting links are expected in a delivery when the files are too large to upload."
    return (
        "File-hosting links are allowed when a delivery is too large to upload; "
        "use them for files only, not to move the conversation."
    )


def _candidate(start: int, end: int, channel: str | None, rule: str = "link.contact") -> Finding:
    categories = category_of(channel)
    if "payment" in categories:
        reason = f"This {label(channel)} link lets someone pay outside the platform, which is against its rules."
        suggestion = "Please pay through the order so both of us stay protected."
    elif "marketplace" in categories:
        reason = f"This links to a profile on {label(channel)}, a competing marketplace."
        suggestion = "Let's keep working together here on the platform."
    elif categories & {"call", "video_call", "scheduling"}:
        reason = f"This {label(channel)} link sets up a call or meeting outside the platform."
        suggestion = "Let's go through it here in the order chat."
    elif channel is None:
        reason = "This links to someone's profile on another site, where they can be reached outside the platform."
        suggestion = "Let's keep the conversation here in the order chat."
    else:
        reason = f"This {label(channel)} link leads to a contact outside the platform."
        suggestion = "Let's keep the conversation here in the order chat."
    return Finding(Kind.LINK, Severity.BLOCK, start, end, rule, reason, channel, suggestion, MASK)
