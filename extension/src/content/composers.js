// Finds the composers on the page — textareas, text inputs and contenteditable editors (only the
// editing root of a rich editor, not its nested children) — including ones added, enabled or made
// editable later, and notices when they go away.

import { COMPOSER_SELECTOR } from '../lib/sites.js';

export function isComposer(element) {
  if (!(element instanceof HTMLElement) || !element.matches(COMPOSER_SELECTOR)) return false;
  if (element.nodeName === 'TEXTAREA' || element.nodeName === 'INPUT') return !element.disabled && !element.readOnly;
  return element.isContentEditable && !element.parentElement?.isContentEditable;
}

/**
 * Calls `added(element)` for each composer that `accept(element)` allows, now and as the page
 * changes, and `removed(element)` when one leaves the page or stops being a composer.
 */
export function init(signal, { accept, added, removed }) {
  const tracked = new Set();

  const consider = (element) => {
    if (tracked.has(element) || !isComposer(element) || !accept(element)) return;
    tracked.add(element);
    added(element);
  };
  const scan = (root) => {
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    consider(root);
    for (const element of root.querySelectorAll(COMPOSER_SELECTOR)) consider(element);
  };
  const sweep = () => {
    for (const element of tracked) {
      if (element.isConnected && isComposer(element) && accept(element)) continue;
      tracked.delete(element);
      removed(element);
    }
  };

  const observer = new MutationObserver((records) => {
    let changed = false;
    for (const record of records) {
      if (record.type === 'attributes') {
        changed = true;
        scan(record.target);
        continue;
      }
      if (record.removedNodes.length) changed = true;
      for (const node of record.addedNodes) scan(node);
    }
    if (changed) sweep();
  });
  observer.observe(document.documentElement, {
    childList: true, subtree: true, attributes: true,
    attributeFilter: ['contenteditable', 'type', 'disabled', 'readonly'],
  });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  scan(document.documentElement);

  return {
    /** Re-checks every composer against `accept` (after an in-page navigation). */
    recheck() {
      sweep();
      scan(document.documentElement);
    },
  };
}
