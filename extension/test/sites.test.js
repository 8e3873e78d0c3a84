import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  SITES, acceptsComposer, coversPath, hostMatches, sendControlOf, sendKeysOf, siteFor, siteForHost, surfaceOf, watchesComposer,
} from '../src/lib/sites.js';

/**
 * A minimal element: closest() matches a tiny selector language (tag, [attr], [attr*="x" i],
 * tag[attr*="x" i], [attr="x"], tag[attr="x" i]; tags may be custom elements' hyphenated names).
 */
function fakeElement(tag, attributes = {}, parent = null) {
  const matchesOne = (el, selector) => {
    const s = selector.trim();
    let m;
    if ((m = /^\[([\w-]+)\]$/.exec(s))) return m[1] in el.attributes;
    if ((m = /^\[([\w-]+)\*="([^"]+)" i\]$/.exec(s))) return String(el.attributes[m[1]] ?? '').toLowerCase().includes(m[2].toLowerCase());
    if (/^button\[type="submit" i\]$/.test(s)) return el.tag === 'button' && el.attributes.type === 'submit';
    if ((m = /^([\w-]+)\[([\w-]+)\*="([^"]+)" i\]$/.exec(s))) {
      return el.tag === m[1] && String(el.attributes[m[2]] ?? '').toLowerCase().includes(m[3].toLowerCase());
    }
    if ((m = /^([\w-]*)\[([\w-]+)="([^"]+)"( i)?\]$/.exec(s))) {
      const fold = (v) => (m[4] ? String(v).toLowerCase() : String(v));
      return (!m[1] || el.tag === m[1]) && m[2] in el.attributes && fold(el.attributes[m[2]]) === fold(m[3]);
    }
    return el.tag === s;
  };
  const el = {
    tag, attributes, parent,
    getAttribute: (name) => attributes[name] ?? null,
    closest(selectorList) {
      const selectors = selectorList.split(/,(?![^[]*\])/);
      for (let node = el; node; node = node.parent) {
        if (selectors.some((s) => matchesOne(node, s))) return node;
      }
      return null;
    },
  };
  return el;
}

const mock = SITES.find((s) => s.id === 'mock');
const fiverr = SITES.find((s) => s.id === 'fiverr');
const freelancer = SITES.find((s) => s.id === 'freelancer');

test('host patterns match exact hosts and wildcard subdomains', () => {
  assert.equal(hostMatches('fiverr.com', 'fiverr.com'), true);
  assert.equal(hostMatches('fiverr.com', 'evilfiverr.com'), false);
  assert.equal(hostMatches('*.fiverr.com', 'www.fiverr.com'), true);
  assert.equal(hostMatches('*.fiverr.com', 'fiverr.com'), false);
  assert.equal(hostMatches('www.fiverr.com', 'WWW.Fiverr.com'), true);
});

test('the marketplace is covered on order pages and the inbox only', () => {
  assert.equal(siteFor('www.fiverr.com', '/orders/FO123/activities')?.id, 'fiverr');
  assert.equal(siteFor('www.fiverr.com', '/inbox/ana_souza')?.id, 'fiverr');
  assert.equal(siteFor('www.fiverr.com', '/users/me/manage_orders/FO1')?.id, 'fiverr');
  assert.equal(siteFor('www.fiverr.com', '/search/gigs?query=logo'), null);
  assert.equal(siteFor('www.fiverr.com', '/inboxer'), null);
  assert.equal(siteForHost('www.fiverr.com')?.id, 'fiverr');
  assert.equal(siteForHost('example.com'), null);
});

test('loopback mock pages are covered on every path', () => {
  assert.equal(siteFor('127.0.0.1', '/anything.html')?.id, 'mock');
  assert.equal(siteFor('localhost', '/')?.id, 'mock');
  assert.equal(coversPath(mock, '/x'), true);
});

test('surface comes from the nearest data-surface ancestor on the mock pages', () => {
  const form = fakeElement('form', { 'data-surface': 'requirements' });
  const label = fakeElement('label', {}, form);
  const input = fakeElement('textarea', {}, label);
  assert.equal(surfaceOf(input, mock), 'requirements');
});

test('an explicit data-cg-surface wins over data-surface', () => {
  const outer = fakeElement('div', { 'data-surface': 'message' });
  const inner = fakeElement('div', { 'data-cg-surface': 'offer' }, outer);
  assert.equal(surfaceOf(fakeElement('textarea', {}, inner), mock), 'offer');
});

test('unknown surface values become "other"; no hint means "message"', () => {
  const odd = fakeElement('div', { 'data-surface': 'Delivery ' });
  assert.equal(surfaceOf(fakeElement('textarea', {}, odd), mock), 'delivery');
  const bad = fakeElement('div', { 'data-surface': 'sidebar' });
  assert.equal(surfaceOf(fakeElement('textarea', {}, bad), mock), 'other');
  assert.equal(surfaceOf(fakeElement('textarea'), mock), 'message');
});

test('marketplace selectors derive the surface from class names, then the path', () => {
  const requirements = fakeElement('div', { class: 'order-Requirements-form' });
  assert.equal(surfaceOf(fakeElement('textarea', {}, requirements), fiverr), 'requirements');
  const delivery = fakeElement('div', { class: 'deliver-modal' });
  assert.equal(surfaceOf(fakeElement('textarea', {}, delivery), fiverr), 'delivery');
  assert.equal(surfaceOf(fakeElement('textarea'), fiverr, '/orders/FO1/requirements'), 'requirements');
});

test('send controls: data-cg-send or a submit button, not any button', () => {
  const send = fakeElement('button', { 'data-cg-send': '' });
  const icon = fakeElement('span', {}, send);
  assert.equal(sendControlOf(icon, mock), send);
  assert.ok(sendControlOf(fakeElement('button', { type: 'submit' }), mock));
  assert.equal(sendControlOf(fakeElement('button', { type: 'button' }), mock), null);
});

test('a profile says which keys send from which composers; silence is an empty list', () => {
  const site = { sendKeys: [{ composer: '[data-chat]', keys: ['Enter'] }] };
  const chat = fakeElement('textarea', {}, fakeElement('div', { 'data-chat': '' }));
  const brief = fakeElement('textarea', {}, fakeElement('form'));
  assert.deepEqual(sendKeysOf(chat, site), ['Enter']);
  assert.deepEqual(sendKeysOf(brief, site), []);
  assert.deepEqual(sendKeysOf(chat, { send: [] }), [], 'a profile without sendKeys');
});

test("Fiverr Pro's inbox (pro.fiverr.com) is Fiverr's: its composer is a chat, its Send message button a send control", () => {
  assert.equal(siteFor('pro.fiverr.com', '/inbox/ana_souza'), fiverr);
  assert.equal(siteFor('pro.fiverr.com', '/freelancers/ana'), null, 'profile pages stay out');
  const composer = fakeElement('textarea', { 'data-testid': 'message-box' }, fakeElement('section'));
  assert.equal(surfaceOf(composer, fiverr, '/inbox/ana_souza'), 'message');
  const send = fakeElement('button', { type: 'button', title: 'Send message' });
  assert.equal(sendControlOf(send, fiverr), send);
  assert.equal(sendControlOf(fakeElement('button', { type: 'button', title: '👋 Hey' }), fiverr), null);
});

test('Freelancer: Enter sends from the "Type a message" composer; the thread list is not watched', () => {
  const composer = fakeElement('textarea', { placeholder: 'Type a message' }, fakeElement('main'));
  assert.deepEqual(sendKeysOf(composer, freelancer), ['Enter']);
  const editor = fakeElement('div', { contenteditable: 'true', 'data-placeholder': 'Type a message' });
  assert.deepEqual(sendKeysOf(editor, freelancer), ['Enter']);
  assert.deepEqual(sendKeysOf(fakeElement('textarea', { placeholder: 'Describe your proposal' }), freelancer), []);
  const listSearch = fakeElement('input', {}, fakeElement('app-messaging-thread-list'));
  assert.equal(acceptsComposer(listSearch, freelancer), false);
  assert.equal(acceptsComposer(composer, freelancer), true);
  assert.equal(surfaceOf(composer, freelancer, '/messages/thread/123456'), 'message');
});

test("Freelancer's own typing box (app-typing-box): a chat, Enter sends, its fl-button Send is a send control", () => {
  const box = fakeElement('fl-bit', { class: 'TypingBox' }, fakeElement('app-typing-box', {}, fakeElement('main')));
  const composer = fakeElement('textarea', { 'data-uitest-target': 'chatbox-input-field', placeholder: 'Enter your message...' }, box);
  assert.equal(surfaceOf(composer, freelancer, '/messages/thread/123456'), 'message');
  assert.deepEqual(sendKeysOf(composer, freelancer), ['Enter']);
  const send = fakeElement('button', { type: 'button' }, fakeElement('fl-button', { fltrackinglabel: 'SendMessageLink' }, box));
  assert.equal(sendControlOf(send, freelancer)?.tag, 'fl-button');
  const emoji = fakeElement('button', { type: 'button' }, fakeElement('fl-emoji-picker', { class: 'TrayItem' }, box));
  assert.equal(sendControlOf(emoji, freelancer), null, 'the emoji picker does not send');
});

test("Freelancer's chat boxes are watched on every page; elsewhere off its message pages nothing is", () => {
  const chatBox = fakeElement('textarea', { 'data-uitest-target': 'chatbox-input-field' },
    fakeElement('fl-bit', { class: 'TypingBox' }, fakeElement('app-typing-box', {}, fakeElement('app-chat-box'))));
  const bid = fakeElement('textarea', { placeholder: 'Describe your proposal' }, fakeElement('form'));
  assert.equal(watchesComposer(chatBox, freelancer, false), true, 'a chat box on a project page');
  assert.equal(watchesComposer(bid, freelancer, false), false, "a project page's bid form");
  assert.equal(watchesComposer(bid, freelancer, true), true, 'any composer of a message page');
  assert.equal(surfaceOf(chatBox, freelancer, '/projects/logo-design/123'), 'message');
  assert.deepEqual(sendKeysOf(chatBox, freelancer), ['Enter']);
  const listSearch = fakeElement('input', {}, fakeElement('app-messaging-thread-list'));
  assert.equal(watchesComposer(listSearch, freelancer, true), false, 'ignored areas stay ignored');
  assert.equal(watchesComposer(bid, fiverr, false), false, 'a profile without chat boxes everywhere');
});

test("PeoplePerHour's WorkStream (where its buyers and freelancers talk) is watched; its job lists are not", () => {
  assert.equal(siteFor('www.peopleperhour.com', '/workstream')?.id, 'peopleperhour');
  assert.equal(siteFor('www.peopleperhour.com', '/workstream/98765')?.id, 'peopleperhour');
  assert.equal(siteFor('www.peopleperhour.com', '/freelance-jobs'), null);
  assert.equal(siteFor('www.peopleperhour.com', '/workstreamer'), null);
});

test("Fiverr's inbox composer sends on Ctrl+Enter and Cmd+Enter (Fiverr's help centre), and on Enter", () => {
  // (the fake's selectors know no #id: the composer is found by its form's class here)
  const inbox = fakeElement('textarea', {}, fakeElement('form', { class: 'send-message-form' }));
  for (const combo of ['Enter', 'Control+Enter', 'Meta+Enter']) assert.ok(sendKeysOf(inbox, fiverr).includes(combo), combo);
  assert.deepEqual(sendKeysOf(fakeElement('textarea', {}, fakeElement('form', { class: 'order-requirements-form' })), fiverr), []);
});
