// Plain text as the markup that inserts exactly that text in one native edit
// (`execCommand('insertHTML')`), for the browsers whose `insertText` splits a multi-line text into
// one edit per line (content/editing.js insertNatively). Only text and line breaks: every
// character that markup would read is escaped, so the result never holds an element but <br>.

const LINE_BREAK = /\r\n|\r|\n/;
const NBSP = '\u00a0';
const ESCAPES = Object.freeze({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' });

/** Whether `text` has a line break (the case where Blink's insertText edits line by line). */
export function hasLineBreak(text) {
  return LINE_BREAK.test(text);
}

function escapeText(text) {
  return text.replace(/[&<>"]/g, (char) => ESCAPES[char]);
}

/**
 * A line's spaces as they survive white-space collapsing, the way the browser's own typing keeps
 * them: a space at either end of the line or after another kept space is a no-break space
 * (Blink's insertText writes the same), so "a  b" stays two spaces wide.
 */
export function keepSpaces(line) {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char !== ' ') {
      out += char;
      continue;
    }
    const atEdge = i === 0 || i === line.length - 1;
    out += atEdge || out.endsWith(' ') ? NBSP : ' ';
  }
  return out;
}

/**
 * Markup for `text`: in a composer that keeps white space (`white-space: pre`, `pre-wrap`,
 * `break-spaces`, and every textarea) the escaped text itself, its line breaks as "\n"; elsewhere
 * one line per line of text, separated by <br>, with spaces kept (keepSpaces).
 */
export function plainTextMarkup(text, { preservesWhiteSpace }) {
  if (preservesWhiteSpace) return escapeText(text);
  return text.split(LINE_BREAK).map((line) => escapeText(keepSpaces(line))).join('<br>');
}
