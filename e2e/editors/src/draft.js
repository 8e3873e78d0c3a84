import 'draft-js/dist/Draft.css';
import { ContentState, Editor, EditorState } from 'draft-js';
import { createElement as h, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { mountReact, run } from './harness.js';

function Composer({ enterSends, send, api }) {
  const [state, setState] = useState(() => EditorState.createEmpty());
  const latest = useRef(state);
  const editorRef = useRef(null);
  const change = (next) => {
    latest.current = next;
    setState(next);
  };
  api.modelText = () => latest.current.getCurrentContent().getPlainText('\n');
  api.clear = () => change(EditorState.moveFocusToEnd(
    EditorState.push(latest.current, ContentState.createFromText(''), 'remove-range'),
  ));
  api.undo = () => change(EditorState.undo(latest.current));
  api.focus = () => editorRef.current?.focus();
  return h(Editor, {
    editorState: state,
    onChange: change,
    ref: editorRef,
    ariaLabel: 'Message',
    handleReturn: enterSends
      ? (event) => {
        if (event.shiftKey) return 'not-handled';
        send();
        return 'handled';
      }
      : undefined,
  });
}

run((host, { enterSends, send }) => {
  const api = {};
  return mountReact(createRoot, host, h(Composer, { enterSends, send, api }), api);
});
