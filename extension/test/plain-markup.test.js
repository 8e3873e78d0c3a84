import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasLineBreak, keepSpaces, plainTextMarkup } from '../src/lib/plain-markup.js';

const NBSP = '\u00a0';

test('hasLineBreak sees \\n, \\r\\n and a lone \\r, nothing else', () => {
  assert.equal(hasLineBreak('one line'), false);
  assert.equal(hasLineBreak('a\nb'), true);
  assert.equal(hasLineBreak('a\r\nb'), true);
  assert.equal(hasLineBreak('a\rb'), true);
});

test('markup escapes everything markup would read: it can only ever hold text and <br>', () => {
  const markup = plainTextMarkup('<img src=x onerror="alert(1)"> & co\n<b>bold</b>', { preservesWhiteSpace: false });
  assert.equal(markup, '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co<br>&lt;b&gt;bold&lt;/b&gt;');
  assert.equal(markup.replaceAll('<br>', '').includes('<'), false);
});

test('where white space is kept (a textarea, pre-wrap) the text goes as it is, its line breaks included', () => {
  assert.equal(plainTextMarkup('a  b\n  c\t d  \n\nlast ', { preservesWhiteSpace: true }), 'a  b\n  c\t d  \n\nlast ');
  assert.equal(plainTextMarkup('x & y\r\nz', { preservesWhiteSpace: true }), 'x &amp; y\r\nz');
});

test('where white space collapses each line break is a <br>, \\r\\n and \\r as one break each', () => {
  assert.equal(plainTextMarkup('x\r\ny\rz\n\nw', { preservesWhiteSpace: false }), 'x<br>y<br>z<br><br>w');
});

test('keepSpaces keeps every space visible as the browser does when typing', () => {
  assert.equal(keepSpaces('a b'), 'a b'); // one space inside a line stays a space
  assert.equal(keepSpaces('a  b'), `a ${NBSP}b`); // the second of a run would collapse
  assert.equal(keepSpaces('a   b'), `a ${NBSP} b`); // alternating, as the browser writes a run
  assert.equal(keepSpaces('  c'), `${NBSP} c`); // a line's first space would collapse
  assert.equal(keepSpaces('d  '), `d ${NBSP}`); // and its last
  assert.equal(keepSpaces(' '), NBSP);
  assert.equal(keepSpaces('tab\tstays'), 'tab\tstays');
});

test('collapsing markup keeps each line\'s spaces: no text is lost but to the no-break spaces', () => {
  const text = 'Hi  there\n  indented line \n\nend';
  const markup = plainTextMarkup(text, { preservesWhiteSpace: false });
  const back = markup.split('<br>').join('\n').replaceAll(NBSP, ' ');
  assert.equal(back, text);
});
