// Finds the composers on the page — textareas, text inputs and contenteditable editors (only the
// editing root of a rich editor, not its nested children) — in every watched tree (the document,
// open shadow roots, same-origin frames: see trees.js), including ones added, enabled or made
// editable later, and notices when they go away.

import { COMPOSER_SELECTOR } from '../lib/sites.js';
import { parentAcross } from './trees.js';

export function isComposer(element) {
  // nodeType rather than instanceof: elements of a same-origin frame belong to another realm.
  if (element?.nodeType !== Node.ELEMENT_NODE || !element.matches(COMPOSER_SELECTOR)) return false;
  if (element.nodeName === 'TEXTAREA' || element.nodeName === 'INPUT') return !element.disabled && !element.readOnly;
  // An editor's root: editable, with no editable element around it (a shadow host counts as around).
  return element.isContentEditable && !parentAcross(element)?.isContentEditable;
}

/**
 * Calls `added(element)` for each composer that `accept(element)` allows, now and as the page
 * changes, and `removed(element)` when one leaves the page or stops being a composer. `trees`
 * (trees.js) says which document trees to look in.
 */
export function init(signal, { trees, accept, added, removed }) {
  const tracked = new Set();

  const consider = (element) => {
    if (tracked.has(element) || !isComposer(element) || !accept(element)) return;
    tracked.add(element);
    added(element);
  };
  const scan = (root) => {
    if (root.nodeType === Node.ELEMENT_NODE) consider(root);
    if (typeof root.querySelectorAll !== 'function') return;
    for (const element of root.querySelectorAll(COMPOSER_SELECTOR)) consider(element);
  };
  const sweep = () => {
    for (const element of tracked) {
      if (element.isConnected && trees.covers(element) && isComposer(element) && accept(element)) continue;
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
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });

  trees.each((root, rootSignal) => {
    observer.observe(root, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: ['contenteditable', 'type', 'disabled', 'readonly'],
    });
    scan(root);
    // A tree that stops being watched (its frame navigated away) takes its composers with it.
    rootSignal.addEventListener('abort', () => {
      if (!signal.aborted) sweep();
    }, { once: true });
  });

  return {
    /** Re-checks every composer against `accept` (after an in-page navigation). */
    recheck() {
      sweep();
      for (const root of trees.roots) scan(root);
    },
  };
}
