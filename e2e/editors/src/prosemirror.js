import 'prosemirror-view/style/prosemirror.css';
import { baseKeymap } from 'prosemirror-commands';
import { history, redo, undo } from 'prosemirror-history';
import { keymap } from 'prosemirror-keymap';
import { schema } from 'prosemirror-schema-basic';
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { run } from './harness.js';

run((host, { enterSends, send }) => {
  const plugins = [history(), keymap({ 'Mod-z': undo, 'Mod-y': redo, 'Shift-Mod-z': redo })];
  if (enterSends) plugins.push(keymap({ Enter: () => { send(); return true; } }));
  plugins.push(keymap({ 'Shift-Enter': (state, dispatch) => {
    dispatch?.(state.tr.replaceSelectionWith(schema.nodes.hard_break.create()).scrollIntoView());
    return true;
  } }));
  plugins.push(keymap(baseKeymap));
  const view = new EditorView(host, {
    state: EditorState.create({ schema, plugins }),
    attributes: { id: 'composer', 'aria-label': 'Message' },
  });
  return {
    modelText: () => view.state.doc.textBetween(0, view.state.doc.content.size, '\n', '\n'),
    clear: () => view.dispatch(view.state.tr.delete(0, view.state.doc.content.size)),
    undo: () => undo(view.state, view.dispatch),
    focus: () => view.focus(),
  };
});
