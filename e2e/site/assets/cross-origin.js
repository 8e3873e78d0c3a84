// The cross-origin layout page: its frame shows frame-chat.html from the other loopback name
// (127.0.0.1 <-> localhost), which is another origin on the same server.
"use strict";
const other = location.hostname === "127.0.0.1" ? "localhost" : "127.0.0.1";
document.getElementById("x-frame").src =
  `${location.protocol}//${other}:${location.port}${location.pathname.replace(/[^/]+$/, "frame-chat.html")}`;
