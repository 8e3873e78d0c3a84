// The one script in the page's own world (manifest content_scripts "world": "MAIN"). It only builds
// the events a page editor must be able to read: Firefox keeps the data of a DataTransfer filled by a
// content script from the page, so a paste replayed by the paste guard (or a Mask done as a paste)
// is made here, from what the content script passes on a `contact-guard:dispatch` event. It carries
// only what is being pasted into the page's own editor (which the page gets anyway), it reads nothing
// and says whether the editor took the edit on a `contact-guard:dispatched` event. A page sending
// the request itself only gets a paste into its own editor, which it can do anyway.
//
// The request is accepted at once (cancelled) and the event dispatched in a task of the page's own:
// the editor's handling of a long paste (100-250 ms for 50,000 characters in Draft.js or CKEditor 5)
// is then the page's task, not a call made from inside the extension's.
(() => {
  const REQUEST = 'contact-guard:dispatch';
  const ANSWER = 'contact-guard:dispatched';
  // "Enable on this site" injects this into the open tab; enabling the site again in the same
  // document must not add a second listener (each paste would land twice).
  const INSTALLED = Symbol.for(REQUEST);
  if (document[INSTALLED]) return;
  Object.defineProperty(document, INSTALLED, { value: true });
  const onRequest = (request) => {
    let order;
    try {
      order = JSON.parse(request.detail);
    } catch {
      return;
    }
    if (!order || !Array.isArray(order.types)) return;
    const target = request.composedPath()[0];
    if (!(target instanceof Element)) return;
    request.preventDefault(); // accepted: the answer follows
    setTimeout(() => {
      // Past the content script's deadline it has stopped waiting: too late to paste.
      const taken = performance.now() <= Number(order.deadline) && target.isConnected && dispatch(order, target);
      document.dispatchEvent(new CustomEvent(ANSWER, { detail: JSON.stringify({ id: order.id, taken }) }));
    }, 0);
  };
  /** The paste or beforeinput `order` asks for, at `target`; whether the editor took it. */
  const dispatch = (order, target) => {
    const data = new DataTransfer();
    for (const [type, value] of order.types) data.setData(String(type), String(value));
    const init = { bubbles: true, cancelable: true, composed: true };
    let event;
    if (order.kind === 'paste') {
      // Firefox ignores `clipboardData` here and builds its own from the older dataType/data
      // members (one type); the other types are added to that one.
      const plain = order.types.find(([type]) => type === 'text/plain') ?? order.types[0] ?? ['text/plain', ''];
      event = new ClipboardEvent('paste', { ...init, clipboardData: data, dataType: plain[0], data: plain[1] });
      if (event.clipboardData && event.clipboardData !== data) {
        for (const [type, value] of order.types) {
          if (type === plain[0]) continue;
          try {
            event.clipboardData.setData(String(type), String(value));
          } catch {
            // A type the browser refuses: the editor still gets the plain text.
          }
        }
      }
    } else if (order.kind === 'insertFromPaste') {
      const selection = getSelection();
      const targetRanges = selection?.rangeCount ? [new StaticRange(selection.getRangeAt(0))] : [];
      event = new InputEvent('beforeinput', { ...init, inputType: 'insertFromPaste', dataTransfer: data, targetRanges });
    } else {
      return false;
    }
    target.dispatchEvent(event);
    return event.defaultPrevented;
  };
  document.addEventListener(REQUEST, onRequest, true);
})();
