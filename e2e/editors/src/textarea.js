// The peer of the rich editors in the typing benchmark (scripts/bench-e2e editors): a plain
// <textarea>, whose model is its value.
import { run } from './harness.js';

run((host, { enterSends, send }) => {
  const textarea = document.createElement('textarea');
  textarea.id = 'composer';
  textarea.setAttribute('aria-label', 'Message');
  textarea.rows = 8;
  textarea.style.cssText = 'width:100%;box-sizing:border-box;font:inherit';
  if (enterSends) {
    textarea.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
      event.preventDefault();
      send();
    });
  }
  host.append(textarea);
  return {
    modelText: () => textarea.value,
    clear: () => { textarea.value = ''; },
    undo: () => document.execCommand('undo'),
    focus: () => textarea.focus(),
  };
});
