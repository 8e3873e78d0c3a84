import { createEmptyHistoryState, registerHistory } from '@lexical/history';
import { HeadingNode, QuoteNode, registerRichText } from '@lexical/rich-text';
import {
  $createParagraphNode, $getRoot, COMMAND_PRIORITY_HIGH, KEY_ENTER_COMMAND, UNDO_COMMAND, createEditor,
} from 'lexical';
import { run } from './harness.js';

run((host, { enterSends, send }) => {
  const root = document.createElement('div');
  root.id = 'composer';
  root.contentEditable = 'true';
  root.setAttribute('aria-label', 'Message');
  host.append(root);
  const editor = createEditor({
    namespace: 'contact-guard-e2e',
    nodes: [HeadingNode, QuoteNode],
    onError: (error) => { throw error; },
  });
  editor.setRootElement(root);
  registerRichText(editor);
  registerHistory(editor, createEmptyHistoryState(), 300);
  if (enterSends) {
    editor.registerCommand(KEY_ENTER_COMMAND, (event) => {
      if (event?.shiftKey) return false;
      event?.preventDefault();
      send();
      return true;
    }, COMMAND_PRIORITY_HIGH);
  }
  return {
    modelText: () => editor.getEditorState().read(
      () => $getRoot().getChildren().map((block) => block.getTextContent()).join('\n'),
    ),
    clear: () => editor.update(() => {
      const rootNode = $getRoot();
      rootNode.clear();
      rootNode.append($createParagraphNode());
      rootNode.selectStart();
    }),
    undo: () => editor.dispatchCommand(UNDO_COMMAND, undefined),
    focus: () => editor.focus(),
  };
});
