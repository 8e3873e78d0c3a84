// The extension pages' (options, popup) link to the background: the trusted "cg-page" port.
// State pushes arrive through `onState`; requests resolve with the background's reply.

export class BackgroundPort {
  #port = null;
  #onState;
  #waiting = new Map(); // reply type -> resolve
  #nextId = 0;

  constructor(onState) {
    this.#onState = onState;
    this.#connect();
  }

  #connect() {
    this.#port = chrome.runtime.connect({ name: 'cg-page' });
    this.#port.onMessage.addListener((message) => this.#receive(message));
    this.#port.onDisconnect.addListener(() => {
      // The worker restarted: connect again and ask for the state afresh.
      void chrome.runtime.lastError;
      setTimeout(() => this.#connect(), 200);
    });
    this.#port.postMessage({ type: 'subscribe' });
  }

  #receive(message) {
    if (message.type === 'state') {
      this.#onState(message);
      return;
    }
    const key = message.id !== undefined ? `${message.type}:${message.id}` : message.type;
    const resolve = this.#waiting.get(key);
    if (resolve) {
      this.#waiting.delete(key);
      resolve(message);
    }
  }

  #request(message, replyType, withId) {
    const id = withId ? ++this.#nextId : undefined;
    return new Promise((resolve) => {
      this.#waiting.set(withId ? `${replyType}:${id}` : replyType, resolve);
      this.#port.postMessage(id === undefined ? message : { ...message, id });
    });
  }

  /** Asks the background to store a settings change; resolves with {ok, error}. */
  updateSettings(patch) {
    return this.#request({ type: 'settings', patch }, 'settings-result', true);
  }

  /** Enables Contact Guard on the origin of `url` (permission already granted); resolves {ok, error}. */
  enableSite(url, tabId) {
    return this.#request({ type: 'enable-site', url, tabId }, 'site-result', true);
  }

  /** Removes Contact Guard from the origin of `url`; resolves {ok, error}. */
  disableSite(url) {
    return this.#request({ type: 'disable-site', url }, 'site-result', true);
  }

  /** Status of a tab: {status, hostname, orderKey}, or {status: undefined} without a content script. */
  tabStatus(tabId) {
    return this.#request({ type: 'tab-status', tabId }, 'tab-status', false);
  }
}
