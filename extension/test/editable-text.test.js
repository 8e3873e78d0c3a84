import assert from 'node:assert/strict';
import { test } from 'node:test';

// editable-text.js walks real DOM nodes; these tests give it a minimal tree with the same shape.
globalThis.Node ??= { ELEMENT_NODE: 1, TEXT_NODE: 3 };
const { offsetOf, positionAt, rangeAt, readEditable } = await import('../src/content/editable-text.js');

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
