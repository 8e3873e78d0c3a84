import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Editor, Node, Transforms, createEditor } from 'slate';
import { withHistory } from 'slate-history';
import { Editable, ReactEditor, Slate, withReact } from 'slate-react';
import { mountReact, run } from './harness.js';

const EMPTY = [{ type: 'paragraph', children: [{ text: '' }] }];

function Composer({ enterSends, send, api }) {
  const [editor] = useState(() => withHistory(withReact(createEditor())));
  api.modelText = () => editor.children.map((block) => Node.string(block)).join('\n');
  api.clear = () => {
    Transforms.select(editor, { anchor: Editor.start(editor, []), focus: Editor.end(editor, []) });
    Transforms.delete(editor);
  };
  api.undo = () => editor.undo();
  api.focus = () => ReactEditor.focus(editor);
  return h(Slate, { editor, initialValue: EMPTY }, h(Editable, {
    id: 'composer',
    'aria-label': 'Message',
    renderElement: ({ attributes, children }) => h('p', attributes, children),
    onKeyDown: enterSends
      ? (event) => {
        if (event.key !== 'Enter' || event.shiftKey) return;
        event.preventDefault();
        send();
      }
      : undefined,
  }));
}

run((host, { enterSends, send }) => {
  const api = {};
  return mountReact(createRoot, host, h(Composer, { enterSends, send, api }), api);
});
