// What every editor page shares: the thread, the send button, send-on-Enter when ?enter=send, and
// the hooks the e2e tests read: window.__editorModelText() is the text of the editor's MODEL
// (paragraphs joined by "\n"), never its DOM; window.__editorUndo() runs the editor's own undo.
// Test drivers that cannot reach page globals (Firefox's Marionette sandbox) dispatch an
// `editor-model` event on the document and read <output id="editor-model"> that it fills.

/**
 * `mount(host, {enterSends, send})` builds the editor in `host` (maybe asynchronously) and returns
 * {modelText(), clear(), undo(), focus()}. With enterSends the editor's own Enter handling calls
 * `send()` (Shift+Enter still adds a line).
 */
export async function run(mount) {
  const enterSends = new URLSearchParams(location.search).get('enter') === 'send';
  const host = document.getElementById('editor-host');
  const sendButton = document.getElementById('send');
  const thread = document.getElementById('thread');
  document.getElementById('hint').textContent = enterSends
    ? 'Enter sends, Shift+Enter adds a line.'
    : 'Enter adds a paragraph; the button sends.';
  if (enterSends) sendButton.setAttribute('aria-keyshortcuts', 'Enter');

  let editor = null;
  const send = () => {
    const text = editor.modelText();
    if (!text.trim()) return;
    const item = document.createElement('li');
    item.className = 'mine';
    const body = document.createElement('div');
    body.className = 'text';
    body.textContent = text;
    item.append(body);
    thread.append(item);
    editor.clear();
  };
  editor = await mount(host, { enterSends, send });
  sendButton.addEventListener('click', () => {
    send();
    editor.focus();
  });
  window.__editorModelText = () => editor.modelText();
  const model = document.createElement('output');
  model.id = 'editor-model';
  model.hidden = true;
  document.body.append(model);
  document.addEventListener('editor-model', () => { model.value = editor.modelText(); });
  window.__editorUndo = () => editor.undo();
  document.documentElement.dataset.editorReady = 'true';
}

/** Renders a React element into `host`; resolves with `api` once its contenteditable is in the page. */
export function mountReact(createRoot, host, element, api) {
  createRoot(host).render(element);
  return new Promise((resolve) => {
    const ready = () => (host.querySelector('[contenteditable="true"]') ? resolve(api) : setTimeout(ready, 10));
    ready();
  });
}
