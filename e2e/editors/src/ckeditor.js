import '@ckeditor/ckeditor5-ui/dist/index.css';
import '@ckeditor/ckeditor5-engine/dist/index.css';
import '@ckeditor/ckeditor5-editor-classic/dist/index.css';
import '@ckeditor/ckeditor5-clipboard/dist/index.css';
import { Bold, Italic } from '@ckeditor/ckeditor5-basic-styles';
import { ClassicEditor } from '@ckeditor/ckeditor5-editor-classic';
import { Essentials } from '@ckeditor/ckeditor5-essentials';
import { Paragraph } from '@ckeditor/ckeditor5-paragraph';
import { run } from './harness.js';

/** A block's text in the model: text nodes, and "\n" for a soft break (Shift+Enter, pasted lines). */
function blockText(block) {
  let text = '';
  for (const child of block.getChildren()) {
    if (child.is('$text')) text += child.data;
    else if (child.is('element', 'softBreak')) text += '\n';
  }
  return text;
}

run(async (host, { enterSends, send }) => {
  // ClassicEditor hides the element it is given and puts its own UI after it: give it a child.
  const source = document.createElement('div');
  host.append(source);
  const editor = await ClassicEditor.create(source, {
    licenseKey: 'GPL',
    plugins: [Essentials, Paragraph, Bold, Italic],
    toolbar: ['bold', 'italic', 'undo', 'redo'],
  });
  if (enterSends) {
    editor.editing.view.document.on('enter', (event, data) => {
      if (data.isSoft) return;
      send();
      data.preventDefault();
      event.stop();
    }, { priority: 'high' });
  }
  return {
    modelText: () => [...editor.model.document.getRoot().getChildren()].map(blockText).join('\n'),
    clear: () => editor.setData(''),
    undo: () => editor.execute('undo'),
    focus: () => editor.editing.view.focus(),
  };
});
