// Page behaviour of the mock order pages, the way a marketplace would do it: Enter (without Shift)
// or the send button posts the composer's text to the thread and clears the composer; the other
// forms show a confirmation. Kept in a file (no inline script) so the strict-CSP page can run it.
"use strict";

function composerText(composer) {
  return composer.isContentEditable ? composer.innerText.replace(/\n$/, "") : composer.value;
}

function clearComposer(composer) {
  if (composer.isContentEditable) composer.textContent = "";
  else composer.value = "";
}

function appendMessage(thread, text) {
  const item = document.createElement("li");
  item.className = "mine";
  const avatar = document.createElement("div");
  avatar.className = "avatar";
  avatar.textContent = "M";
  const content = document.createElement("div");
  content.innerHTML = '<span class="who">me</span><span class="when">just now</span>';
  const body = document.createElement("div");
  body.className = "text";
  body.textContent = text;
  content.append(body);
  item.append(avatar, content);
  thread.append(item);
}

function wireChat(form) {
  const composer = form.querySelector("textarea, [contenteditable]");
  const thread = document.querySelector(form.dataset.chat);
  const send = () => {
    const text = composerText(composer);
    if (!text.trim()) return;
    appendMessage(thread, text);
    clearComposer(composer);
  };
  composer.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });
}

function wireConfirmation(form) {
  const notice = document.querySelector(form.dataset.confirm);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    notice.hidden = false;
  });
}

document.querySelectorAll("form[data-chat]").forEach(wireChat);
document.querySelectorAll("form[data-confirm]").forEach(wireConfirmation);
