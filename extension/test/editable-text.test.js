import assert from 'node:assert/strict';
import { test } from 'node:test';

// editable-text.js walks real DOM nodes; these tests give it a minimal tree with the same shape.
globalThis.Node ??= { ELEMENT_NODE: 1, TEXT_NODE: 3 };
const { offsetOf, positionAt, rangeAt, readEditable, updateEditable } = await import('../src/content/editable-text.js');
const { diffEdit } = await import('../src/lib/spans.js');

function text(data) {
  return { nodeType: 3, nodeName: '#text', data, firstChild: null, nextSibling: null };
}

function element(nodeName, ...children) {
  const node = { nodeType: 1, nodeName, firstChild: children[0] ?? null, nextSibling: null, childNodes: children };
  children.forEach((child, i) => {
    child.nextSibling = children[i + 1] ?? null;
    child.parentNode = node;
  });
  node.contains = (other) => {
    for (let n = other; n; n = n.parentNode) if (n === node) return true;
    return false;
  };
  return node;
}

test('nested inline elements read as one line', () => {
  const root = element('DIV', text('Hi '), element('B', text('ana')), element('SPAN', element('I', text('@x.io'))));
  assert.equal(readEditable(root).text, 'Hi ana@x.io');
});

test('paragraphs and <br> become line breaks, never doubled', () => {
  const root = element('DIV',
    element('P', text('first')),
    element('P', text('second'), element('BR')),
    element('DIV', element('DIV', text('third'))));
  assert.equal(readEditable(root).text, 'first\nsecond\nthird');
});

test('an empty line in a Chrome-style editor (<div><br></div>) is one blank line', () => {
  const root = element('DIV', text('a'), element('DIV', element('BR')), element('DIV', text('b')));
  assert.equal(readEditable(root).text, 'a\n\nb');
});

test('script and style content is not text', () => {
  const root = element('DIV', text('a'), element('STYLE', text('p{}')), text('b'));
  assert.equal(readEditable(root).text, 'ab');
});

test('text offsets map back to the right node, across line breaks', () => {
  const one = text('mail ');
  const two = text('ana@x.io');
  const three = text('bye');
  const root = element('DIV', element('P', one, element('B', two)), element('P', three));
  const model = readEditable(root);
  assert.equal(model.text, 'mail ana@x.io\nbye');
  assert.deepEqual(positionAt(model, 0), { node: one, offset: 0 });
  assert.deepEqual(positionAt(model, 7), { node: two, offset: 2 });
  assert.deepEqual(positionAt(model, 13), { node: two, offset: 8 }); // on the synthetic "\n"
  assert.deepEqual(positionAt(model, 14), { node: three, offset: 0 });
  assert.equal(offsetOf(model, two, 3), 8);
  assert.equal(offsetOf(model, three, 1), 15);
});

test('offsets count UTF-16 units, astral characters included', () => {
  const emoji = text('\u{1F600}\u{1F600}');
  const mail = text('a@b.co');
  const model = readEditable(element('DIV', emoji, mail));
  assert.equal(model.text.length, 10);
  assert.deepEqual(positionAt(model, 4), { node: mail, offset: 0 });
  assert.equal(offsetOf(model, mail, 6), 10);
});

test('an empty editor has no positions; a caret between elements maps to the next text', () => {
  assert.equal(positionAt(readEditable(element('DIV')), 0), null);
  const later = text('x');
  const root = element('DIV', element('BR'), element('SPAN', later));
  const model = readEditable(root);
  assert.equal(offsetOf(model, root, 1), 1);
  assert.equal(offsetOf(model, root, 2), model.text.length);
});

// updateEditable: the model kept from mutation records must equal a fresh read, or give up.
const typed = (node) => ({ type: 'characterData', target: node });

function sameAsFreshRead(model, root) {
  const fresh = readEditable(root);
  assert.equal(model.text, fresh.text);
  assert.deepEqual(model.segments.map((s) => [s.node, s.start, s.length]),
    fresh.segments.map((s) => [s.node, s.start, s.length]));
}

test('typing into a text node patches its part of the text and moves the later nodes', () => {
  const one = text('mail ');
  const two = text('ana@x.io');
  const three = text('bye');
  const root = element('DIV', element('P', one, element('B', two)), element('P', three));
  const model = readEditable(root);
  one.data = 'e-mail me at ';
  two.data = 'ana@xy.io';
  assert.equal(updateEditable(model, [typed(one), typed(two), typed(one)]), true);
  assert.equal(model.text, 'e-mail me at ana@xy.io\nbye');
  sameAsFreshRead(model, root);
  assert.deepEqual(positionAt(model, 13), { node: two, offset: 0 });
  assert.equal(offsetOf(model, three, 1), 24);
});

/**
 * `edit` turns `before` into `after` (the text outside it is the same in both; where a character is
 * repeated it may sit elsewhere than diffEdit's, as the nodes say).
 */
function editHolds(edit, before, after) {
  if (!diffEdit(before, after)) return;
  assert.ok(edit, `no edit recorded for ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  assert.ok(edit.start <= edit.removedEnd && edit.start <= edit.insertedEnd, JSON.stringify(edit));
  assert.equal(before.length - edit.removedEnd, after.length - edit.insertedEnd);
  assert.equal(before.slice(0, edit.start) + after.slice(edit.start, edit.insertedEnd) + before.slice(edit.removedEnd), after);
}

test('the kept model says where the text changed (no diff of the whole text) and which nodes', () => {
  const one = text('mail ');
  const two = text('ana@x.io');
  const three = text('bye');
  const root = element('DIV', element('P', one, element('B', two)), element('P', three));
  const model = readEditable(root);
  assert.equal(model.edit, null);
  three.data = 'bye!';
  assert.equal(updateEditable(model, [typed(three)]), true);
  assert.deepEqual(model.edit, { start: 17, removedEnd: 17, insertedEnd: 18 });
  assert.deepEqual(model.touched, [three]);
  // A second change before the first: one edit spans both.
  one.data = 'mails ';
  assert.equal(updateEditable(model, [typed(one)]), true);
  assert.deepEqual(model.edit, { start: 4, removedEnd: 17, insertedEnd: 19 });
  editHolds(model.edit, 'mail ana@x.io\nbye', model.text);
  assert.deepEqual(model.touched, [three, one]);
});

/** `parent`'s only child `old` replaced by a new text node of `data` (textContent set), and its record. */
function replaceText(parent, old, data) {
  const now = text(data);
  now.parentNode = parent;
  parent.firstChild = now;
  parent.childNodes = [now];
  return { now, record: { type: 'childList', target: parent, removedNodes: [old], addedNodes: [now] } };
}

test('a text node re-rendered as a new one (Slate on punctuation) is followed without a full read', () => {
  const one = text('mail ana');
  const two = text('bye');
  const span = element('SPAN', one);
  const root = element('DIV', element('P', span), element('P', two));
  const model = readEditable(root);
  const { now, record } = replaceText(span, one, 'mail ana@');
  assert.equal(updateEditable(model, [record]), true);
  assert.equal(model.text, 'mail ana@\nbye');
  sameAsFreshRead(model, root);
  assert.deepEqual(model.edit, { start: 8, removedEnd: 8, insertedEnd: 9 });
  // The old node is named too: a Range that sat in it is gone with it.
  assert.deepEqual(model.touched, [one, now]);
  now.data = 'mail ana@x';
  assert.equal(updateEditable(model, [typed(now)]), true);
  sameAsFreshRead(model, root);
  assert.deepEqual(positionAt(model, 9), { node: now, offset: 9 });
});

test('other node changes, or a replacement moved on since, ask for a full read', () => {
  const one = text('a');
  const span = element('SPAN', one);
  const root = element('DIV', element('P', span));
  let model = readEditable(root);
  // Two nodes for one, an element for a text node, a node the model never saw.
  assert.equal(updateEditable(model, [{ type: 'childList', target: span, removedNodes: [one], addedNodes: [text('a'), text('b')] }]), false);
  model = readEditable(root);
  assert.equal(updateEditable(model, [{ type: 'childList', target: span, removedNodes: [one], addedNodes: [element('B', text('a'))] }]), false);
  model = readEditable(root);
  assert.equal(updateEditable(model, [{ type: 'childList', target: span, removedNodes: [text('x')], addedNodes: [text('y')] }]), false);
  // The new node was moved elsewhere by a later change: the record no longer says where it is.
  model = readEditable(root);
  const { now, record } = replaceText(span, one, 'ab');
  now.parentNode = root;
  assert.equal(updateEditable(model, [record]), false);
  // Emptied: the line break may go with it.
  const one2 = text('a');
  const span2 = element('SPAN', one2);
  const root2 = element('DIV', element('P', span2), element('P', text('b')));
  model = readEditable(root2);
  assert.equal(updateEditable(model, [replaceText(span2, one2, '').record]), false);
});

test('a record that may move line breaks or nodes asks for a full read', () => {
  const one = text('a');
  const two = text('b');
  const root = element('DIV', element('P', one), element('P', two));
  // An element or text node added or removed.
  assert.equal(updateEditable(readEditable(root), [{ type: 'childList', target: root, removedNodes: [], addedNodes: [element('P')] }]), false);
  // A node emptied: the line break between the paragraphs may go with it.
  let model = readEditable(root);
  one.data = '';
  assert.equal(updateEditable(model, [typed(one)]), false);
  // A node that now ends a line itself: the block edge after it no longer adds one.
  one.data = 'a';
  model = readEditable(root);
  one.data = 'a\n';
  assert.equal(updateEditable(model, [typed(one)]), false);
  // A node the read did not see (empty then, or new) that has text now.
  const empty = text('');
  const root3 = element('DIV', empty, element('P', two));
  model = readEditable(root3);
  assert.equal(updateEditable(model, [typed(empty)]), true); // still empty: nothing changed
  empty.data = 'c';
  assert.equal(updateEditable(model, [typed(empty)]), false);
});

test('random edits: whenever the model is kept it equals a fresh read', () => {
  let seed = 7;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pieces = ['a', 'bc', ' ', '\n', 'ana@x.io', '\u{1F600}', ''];
  let kept = 0;
  for (let round = 0; round < 600; round++) {
    const nodes = [];
    const build = (depth) => {
      const children = [];
      for (let i = 0, n = 1 + random(3); i < n; i++) {
        if (depth > 2 || random(2)) {
          const node = text(pieces[random(pieces.length)]);
          nodes.push(node);
          children.push(node);
        } else {
          children.push(element(['P', 'DIV', 'SPAN', 'B', 'BR', 'LI'][random(6)], ...build(depth + 1)));
        }
      }
      return children;
    };
    const root = element('DIV', ...build(0));
    const model = readEditable(root);
    const before = model.text;
    for (let step = 0; step < 5 && nodes.length; step++) {
      const at = random(nodes.length);
      const node = nodes[at];
      const data = random(3) ? node.data + pieces[random(pieces.length)] : pieces[random(pieces.length)];
      let record;
      if (random(4)) {
        node.data = data;
        record = typed(node);
      } else {
        // Re-rendered: a new text node in its place.
        const now = text(data);
        const parent = node.parentNode;
        const i = parent.childNodes.indexOf(node);
        parent.childNodes[i] = now;
        now.nextSibling = node.nextSibling;
        now.parentNode = parent;
        if (i) parent.childNodes[i - 1].nextSibling = now;
        else parent.firstChild = now;
        record = { type: 'childList', target: parent, removedNodes: [node], addedNodes: [now] };
        nodes[at] = now;
      }
      if (updateEditable(model, [record])) {
        kept++;
        sameAsFreshRead(model, root);
        editHolds(model.edit, before, model.text);
      } else {
        break;
      }
    }
  }
  assert.ok(kept > 150, `the model was kept in ${kept} edits`);
});

/** A document whose createRange() makes ranges that record their boundary changes. */
function fakeDocument() {
  const doc = { made: 0 };
  doc.createRange = () => {
    doc.made++;
    const range = { startContainer: doc, startOffset: 0, endContainer: doc, endOffset: 0, sets: 0 };
    range.setStart = (node, offset) => Object.assign(range, { startContainer: node, startOffset: offset, sets: range.sets + 1 });
    range.setEnd = (node, offset) => Object.assign(range, { endContainer: node, endOffset: offset, sets: range.sets + 1 });
    return range;
  };
  return doc;
}

test('rangeAt moves a given Range of the same document instead of making one (a live Range costs every edit)', () => {
  const doc = fakeDocument();
  const first = text('call me on +55 11 98765 4321');
  const second = text('or mail ana@x.io');
  first.ownerDocument = doc;
  second.ownerDocument = doc;
  const model = readEditable(element('DIV', element('P', first), element('P', second)));
  const range = rangeAt(model, 11, 28);
  assert.equal(doc.made, 1);
  assert.deepEqual([range.startContainer, range.startOffset, range.endContainer, range.endOffset], [first, 11, first, 28]);
  // The same Range, moved to another span (here into the next paragraph): no new one is made.
  const moved = rangeAt(model, 37, 45, range);
  assert.equal(moved, range);
  assert.equal(doc.made, 1);
  assert.deepEqual([moved.startContainer, moved.startOffset, moved.endContainer, moved.endOffset], [second, 8, second, 16]);
  // Boundaries already where they belong are not set again (a set is a change for its highlights).
  const sets = moved.sets;
  rangeAt(model, 37, 45, moved);
  assert.equal(moved.sets, sets);
});

test('rangeAt makes a new Range when the given one belongs to another document (an editor moved between frames)', () => {
  const doc = fakeDocument();
  const other = fakeDocument();
  const node = text('ana@x.io');
  node.ownerDocument = doc;
  const model = readEditable(element('DIV', node));
  const foreign = other.createRange();
  const range = rangeAt(model, 0, 8, foreign);
  assert.notEqual(range, foreign);
  assert.equal(doc.made, 1);
  assert.deepEqual([range.startContainer, range.endOffset], [node, 8]);
});
