// Loads the editor named in ?editor= (a bundle built by build.mjs into dist/) into the test page.
// ?enter=send: the page sends on Enter (Shift+Enter adds a line) and its send button says so with
// aria-keyshortcuts="Enter"; otherwise Enter makes a paragraph, as each editor does by default.
"use strict";
(() => {
  const params = new URLSearchParams(location.search);
  const editor = params.get("editor") || "";
  if (!/^[a-z]+$/.test(editor)) throw new Error("editor.html needs ?editor=<name>");
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = `dist/${editor}.css`;
  const script = document.createElement("script");
  script.src = `dist/${editor}.js`;
  document.head.append(style, script);
})();
