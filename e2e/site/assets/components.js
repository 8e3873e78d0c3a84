// Web components for the shadow-root mock page: composers inside open shadow roots, nested ones,
// one attached after load without any DOM change, and one added later.
"use strict";

const CHAT_STYLE = `
  :host { display: block; }
  ul { list-style: none; margin: 0; padding: 12px 20px; font-size: 14px; min-height: 60px; }
  li { padding: 4px 0; }
  form { display: flex; gap: 10px; align-items: flex-end; padding: 12px 20px; border-top: 1px solid #e4e5e7; }
  textarea { flex: 1; min-height: 64px; padding: 10px 12px; border: 1px solid #c5c6c9; border-radius: 4px;
    font: 15px/1.5 "DejaVu Sans", Arial, sans-serif; color: #404145; resize: vertical; }
  button { background: #1dbf73; color: #fff; border: 0; border-radius: 4px; padding: 10px 18px; font-weight: 700; cursor: pointer; }
`;

/** A chat box in its own shadow root: Enter or the button posts the text to its thread. */
function buildChat(root, inputId) {
  root.innerHTML = `<style>${CHAT_STYLE}</style><ul class="thread"></ul>
    <form><textarea rows="3" placeholder="Type your message…"></textarea><button type="submit" data-cg-send aria-keyshortcuts="Enter">Send</button></form>`;
  const textarea = root.querySelector("textarea");
  textarea.id = inputId;
  const thread = root.querySelector("ul");
  const send = () => {
    if (!textarea.value.trim()) return;
    const item = document.createElement("li");
    item.className = "mine";
    item.textContent = textarea.value;
    thread.append(item);
    textarea.value = "";
  };
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  root.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });
}

class ChatBox extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    buildChat(this.attachShadow({ mode: "open" }), this.dataset.inputId || "chat-box-input");
  }
}

class RichEditor extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    this.attachShadow({ mode: "open" }).innerHTML = `<style>
      div { min-height: 64px; padding: 10px 12px; border: 1px solid #c5c6c9; border-radius: 4px;
        font: 15px/1.5 "DejaVu Sans", Arial, sans-serif; color: #404145; outline-offset: 1px; }
    </style><div id="shadow-rich" contenteditable="true" role="textbox" aria-multiline="true"></div>`;
  }
}

class Notes extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    // Two levels deep: the editor is a component inside this component's shadow root.
    this.attachShadow({ mode: "open" }).innerHTML = `<style>
      :host { display: block; padding: 12px 20px; font-size: 14px; }
      label { display: block; font-weight: 600; margin-bottom: 6px; }
    </style><label>Notes for the seller</label><gm-rich-editor></gm-rich-editor>`;
  }
}

customElements.define("gm-chat", ChatBox);
customElements.define("gm-rich-editor", RichEditor);
customElements.define("gm-notes", Notes);

// A shadow root attached to an element already on the page, a moment after load: nothing in the
// light DOM changes, so only the focus (composedPath) can reveal it.
window.addEventListener("load", () => {
  setTimeout(() => {
    const host = document.getElementById("late-host");
    buildChat(host.attachShadow({ mode: "open" }), "late-input");
    document.body.dataset.lateReady = "1";
  }, 300);
});

document.getElementById("open-support").addEventListener("click", () => {
  const chat = document.createElement("gm-chat");
  chat.dataset.inputId = "support-input";
  chat.dataset.surface = "message";
  document.getElementById("support").append(chat);
});
