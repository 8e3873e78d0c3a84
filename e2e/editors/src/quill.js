import 'quill/dist/quill.snow.css';
import Quill from 'quill';
import { run } from './harness.js';

run((host, { enterSends, send }) => {
  const bindings = enterSends
    ? { send: { key: 'Enter', shiftKey: false, handler: () => { send(); return false; } } }
    : {};
  const quill = new Quill(host, { theme: 'snow', modules: { toolbar: false, keyboard: { bindings } } });
  quill.root.id = 'composer';
  quill.root.setAttribute('aria-label', 'Message');
  return {
    modelText: () => quill.getText().replace(/\n$/, ''),
    clear: () => quill.setText(''),
    undo: () => quill.history.undo(),
    focus: () => quill.focus(),
  };
});
