// Site profiles: where Contact Guard works and how it reads each marketplace's pages. Pure data,
// interpreted by sites.js; the manifest's host permissions and content-script matches must list
// every profile's `matches` (extension/test/manifest.test.js checks it). Each marketplace profile
// has a saved-page fixture under e2e/fixtures/sites/ that says what real markup it is based on.
//
// Fields:
//   id, platform    stable id; the platform's name the engine uses in its rewordings
//   hosts           hostnames ("*.example.com" for subdomains); matches: the manifest patterns
//   paths           regexes of the paths whose composers are watched (null: every path)
//   composers       where the watched composers live (closest() selectors); null: anywhere
//   everywhere      composers watched on every path of the host, not only `paths` (a site's chat
//                   boxes that float over any page); optional
//   ignore          composers inside these are never watched (site search boxes, filters)
//   surfaces        first match wins: {selector, surface} or {selector, attribute} (value read)
//   pathSurfaces    {path, surface} when no selector matched (substring of the path)
//   send            the page's send controls (the send guard stops their clicks)
//   sendKeys        [{composer, keys}] keys that send from such composers, until the page shows otherwise
//   ruleUrl         the platform's rules, linked from the cards

const EXPLICIT_SURFACE = { selector: '[data-cg-surface]', attribute: 'data-cg-surface' };
const EXPLICIT_SEND = '[data-cg-send]';

export default Object.freeze([
  {
    id: 'fiverr',
    platform: 'Fiverr',
    // pro.fiverr.com: Fiverr Pro's own inbox (see the fiverr-pro-inbox fixture for the source).
    hosts: ['fiverr.com', 'www.fiverr.com', 'pro.fiverr.com'],
    matches: ['https://www.fiverr.com/*', 'https://fiverr.com/*', 'https://pro.fiverr.com/*'],
    // Order pages (chat, requirements, delivery, custom offers), the inbox and the requirements
    // form; elsewhere (search, gig pages) stays out.
    paths: ['^/orders/', '^/inbox(/|$)', '^/users/[^/]+/manage_orders', '^/users/[^/]+/requirements', '^/requirements'],
    composers: null,
    ignore: ['header', '[role="search"]', 'form[action*="search" i]'],
    surfaces: [
      EXPLICIT_SURFACE,
      // Real markup (sources in the fixtures and docs/sites.md): the inbox composer is a
      // textarea#send-message-text-area, in newer builds a Slate editor inside a container with
      // that id; a saved copy of the 2023 inbox has textarea#message-box-text-area with
      // data-testid="message-box", which Fiverr Pro's inbox composer carries too.
      { selector: '#send-message-text-area, #message-box-text-area, [data-testid="message-box"]', surface: 'message' },
      // Of the order page only its frame is known (docs/sites.md: .order-page, its activity feed
      // .activity-wrap.is-message, a textarea named message-box-text-area); the custom offer is
      // written in a form that the inbox's [data-testid="create-custom-offer-button"] opens, its
      // markup unknown. No real markup of the requirements, delivery or offer composers was found:
      // these are class-name patterns that no saved real page checks.
      { selector: '[class*="requirement" i], form[action*="requirement" i]', surface: 'requirements' },
      { selector: '[class*="deliver" i]', surface: 'delivery' },
      { selector: '[class*="custom-offer" i], [class*="offer-form" i], [class*="create-offer" i]', surface: 'offer' },
      { selector: '[class*="message" i], [class*="inbox" i], [class*="conversation" i], [class*="chat" i]', surface: 'message' },
    ],
    pathSurfaces: [{ path: 'requirements', surface: 'requirements' }],
    // aria-label="Send" (inbox), the "Send message" button of Fiverr Pro's inbox (title) and the
    // 2023 inbox's Send, a plain span.message-action at the end of its .message-action-bar (beside
    // the arrow that opens the Enter setting), are real.
    send: [EXPLICIT_SEND, 'button[type="submit" i]', 'button[aria-label="Send" i]', 'button[title="Send message" i]',
      '.message-action-bar .message-action', '[data-testid*="send" i]', 'button[aria-label*="send" i]'],
    // Fiverr's help centre ("Using Your Inbox") says Ctrl+Enter (PC) / Cmd+Enter (Mac) sends a
    // message from the inbox. Whether Enter sends is the user's setting (the arrow beside Send in
    // the saved 2023 inbox opens it): Enter is guarded until the page shows what it does. What the
    // send guard sees an Enter let through do in a composer (a line that stays: the user's setting
    // is "new line") beats these keys there, so it then stops asking on Enter (docs/editors.md).
    sendKeys: [{
      composer: '#send-message-text-area, #message-box-text-area, [data-testid="message-box"], [class*="message" i], ' +
        '[class*="inbox" i], [class*="conversation" i], [class*="chat" i]',
      keys: ['Enter', 'Control+Enter', 'Meta+Enter'],
    }],
    ruleUrl: 'https://www.fiverr.com/terms_of_service',
  },
  {
    id: 'upwork',
    platform: 'Upwork',
    hosts: ['www.upwork.com'],
    matches: ['https://www.upwork.com/*'],
    // Message rooms (/ab/messages/rooms/room_…); proposals and contracts are not chats.
    paths: ['^/ab/messages(/|$)', '^/nx/messages(/|$)'],
    // The room composer: a TipTap/ProseMirror editor (a div role="textbox", class "tiptap ProseMirror")
    // inside .up-d-composer / .composer-container.
    composers: ['.up-d-composer', '.composer-container', '.composer'],
    ignore: ['header', '[role="search"]'],
    surfaces: [EXPLICIT_SURFACE, { selector: '.up-d-composer, .composer-container, .composer', surface: 'message' }],
    pathSurfaces: [],
    // The send button: button.air3-btn-circle in the composer; in the 2026 layout its label is
    // "Send message" (an automation module's messages tool).
    send: [EXPLICIT_SEND, '.up-d-composer button.air3-btn-circle', '.composer-container button.air3-btn-circle',
      'button[aria-label="Send message" i]', 'button[aria-label*="send" i]'],
    // Enter sends from the room composer, Shift+Enter breaks the line (TipTap's hard break): an
    // automation module typed a draft's line breaks as Enter and sent one message per line
    // (May 2026), and now types Shift+Enter between lines.
    sendKeys: [{ composer: '.up-d-composer, .composer-container', keys: ['Enter'] }],
    ruleUrl: 'https://www.upwork.com/legal',
  },
  {
    id: 'freelancer',
    platform: 'Freelancer',
    hosts: ['www.freelancer.com'],
    matches: ['https://www.freelancer.com/*'],
    // Message threads (/messages/thread/<id>) of the Angular app; and on every page the chat boxes
    // that pop out of the inbox (its FAQ: "a chat window will then pop out"; the source's
    // app-messaging-chat holds one app-chat-box per chat, each with an app-typing-box).
    paths: ['^/messages(/|$)'],
    everywhere: ['app-typing-box'],
    // The thread's composer: the web app's own typing box (its source: app-typing-box holding
    // textarea[data-uitest-target="chatbox-input-field"]), in newer builds a field whose placeholder
    // says "Type a message" (a textarea, or a contenteditable with data-placeholder); the thread
    // list (app-messaging-thread-list) is not a chat.
    composers: null,
    ignore: ['header', '[role="search"]', 'app-messaging-thread-list'],
    surfaces: [EXPLICIT_SURFACE, { selector: 'app-typing-box, [data-uitest-target="chatbox-input-field"]', surface: 'message' }],
    pathSurfaces: [{ path: '/messages', surface: 'message' }],
    // The typing box's Send is fl-button[flTrackingLabel="SendMessageLink"] (the inbox only); newer
    // builds have an icon-only paper plane (label unknown). Enter without Shift sends (the source).
    send: [EXPLICIT_SEND, 'fl-button[fltrackinglabel="SendMessageLink" i]', 'button[aria-label*="send" i]',
      'fl-button[aria-label*="send" i]', 'fl-icon-button[aria-label*="send" i]', 'button[type="submit" i]'],
    sendKeys: [{
      composer: 'app-typing-box, [data-uitest-target="chatbox-input-field"], [placeholder*="type a message" i], ' +
        '[data-placeholder*="type a message" i]',
      keys: ['Enter'],
    }],
    ruleUrl: 'https://www.freelancer.com/about/terms',
  },
  {
    id: 'peopleperhour',
    platform: 'PeoplePerHour',
    hosts: ['www.peopleperhour.com'],
    matches: ['https://www.peopleperhour.com/*'],
    // Its help centre says all communication between buyer and freelancer goes through the
    // WorkStream, which a public bot opens at /workstream; no source shows its composer. The other
    // paths are guesses: its account pages are under /site/ (/site/orders, /site/proposals,
    // /site/saved-jobs: a job-alert extension's page list), hence the /site/ forms.
    paths: ['^/workstream(/|$)', '^/messages?(/|$)', '^/inbox(/|$)', '^/dashboard/(inbox|messages)', '^/site/(inbox|messages?)(/|$)'],
    composers: null,
    ignore: ['header', '[role="search"]', 'form[action*="search" i]'],
    surfaces: [EXPLICIT_SURFACE],
    pathSurfaces: [],
    send: [EXPLICIT_SEND, 'button[type="submit" i]', 'button[aria-label*="send" i]'],
    sendKeys: [],
    ruleUrl: 'https://www.peopleperhour.com/static/terms',
  },
  {
    id: 'mock',
    platform: 'Fiverr',
    hosts: ['127.0.0.1', 'localhost'],
    matches: ['http://127.0.0.1/*', 'http://localhost/*'],
    paths: null,
    composers: null,
    ignore: [],
    surfaces: [EXPLICIT_SURFACE, { selector: '[data-surface]', attribute: 'data-surface' }],
    pathSurfaces: [],
    send: [EXPLICIT_SEND, 'button[type="submit" i]'],
    ruleUrl: 'https://www.fiverr.com/terms_of_service',
  },
]);

/**
 * The profile of a site the user enabled from the popup ("Enable on this site"): no platform
 * name, every path, the page's own hints only (`data-cg-surface`, `data-cg-send`, form submits).
 */
export const ENABLED_SITE = Object.freeze({
  id: 'enabled',
  platform: null,
  hosts: [],
  matches: [],
  paths: null,
  composers: null,
  ignore: ['header', '[role="search"]', 'form[action*="search" i]'],
  surfaces: [EXPLICIT_SURFACE],
  pathSurfaces: [],
  send: [EXPLICIT_SEND, 'button[type="submit" i]'],
  sendKeys: [],
  ruleUrl: null,
});
