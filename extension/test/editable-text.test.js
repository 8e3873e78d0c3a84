import assert from 'node:assert/strict';
import { test } from 'node:test';

// editable-text.js walks real DOM nodes; these tests give it a minimal tree with the same shape.
globalThis.Node ??= { ELEMENT_NODE: 1, TEXT_NODE: 3 };
const { offsetOf, positionAt, rangeAt, readEditable, updateEditable } = await import('../src/content/editable-text.js');

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

test('a record that may move line breaks or nodes asks for a full read', () => {
  const one = text('a');
  const two = text('b');
  const root = element('DIV', element('P', one), element('P', two));
  // An element or text node added or removed.
  assert.equal(updateEditable(readEditable(root), [{ type: 'childList', target: root }]), false);
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
    for (let step = 0; step < 5 && nodes.length; step++) {
      const node = nodes[random(nodes.length)];
      node.data = random(3) ? node.data + pieces[random(pieces.length)] : pieces[random(pieces.length)];
      if (updateEditable(model, [typed(node)])) {
        kept++;
        sameAsFreshRead(model, root);
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
