import { Editor, Extension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { run } from './harness.js';

run((host, { enterSends, send }) => {
  const SendOnEnter = Extension.create({
    name: 'sendOnEnter',
    priority: 1000,
    addKeyboardShortcuts: () => ({ Enter: () => { send(); return true; } }),
  });
  const editor = new Editor({
    element: host,
    extensions: [StarterKit, ...(enterSends ? [SendOnEnter] : [])],
    editorProps: { attributes: { id: 'composer', 'aria-label': 'Message' } },
  });
  return {
    modelText: () => editor.getText({ blockSeparator: '\n' }),
    clear: () => editor.commands.clearContent(true),
    undo: () => editor.commands.undo(),
    focus: () => editor.commands.focus(),
  };
});
