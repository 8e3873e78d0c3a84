// Styles of the overlay's shadow root (a module, so they apply synchronously with no fetch).
const LIGHT_VARS = `
  color-scheme: light;
  --cg-block: #d32f2f;
  --cg-warn: #b86e00;
  --cg-info: #1565c0;
  --cg-bg: #ffffff;
  --cg-fg: #1f2328;
  --cg-muted: #59636e;
  --cg-border: #d0d7de;
  --cg-button: #f6f8fa;
  --cg-shadow: rgb(0 0 0 / 18%);`;

const DARK_VARS = `
  color-scheme: dark;
  --cg-block: #ff6b6b;
  --cg-warn: #ffb74d;
  --cg-info: #64b5f6;
  --cg-bg: #1f2428;
  --cg-fg: #e6edf3;
  --cg-muted: #9aa4ae;
  --cg-border: #3d444d;
  --cg-button: #2d333b;
  --cg-shadow: rgb(0 0 0 / 55%);`;

export const OVERLAY_CSS = `
:host {
  all: initial;
  position: fixed;
  top: 0;
  left: 0;
  width: 0;
  height: 0;
  overflow: visible;
  z-index: 2147483647;
  pointer-events: none;
${LIGHT_VARS}
}
/* The host resets everything inherited from the page (all: initial), so panels set their own type. */
.cg-banner, .cg-paste-dialog, .cg-send-confirm, .cg-status {
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  text-align: left;
  letter-spacing: normal;
}
/* Dark panels and marks: where the OS asks for them, unless the composer's own background says
   otherwise (data-theme, set from what is really behind the composer). */
@media (prefers-color-scheme: dark) {
  :host {${DARK_VARS}
}
}
.cg-layer[data-theme="dark"], .cg-status[data-theme="dark"] {${DARK_VARS}
}
.cg-layer[data-theme="light"], .cg-status[data-theme="light"] {${LIGHT_VARS}
}
[hidden] { display: none !important; }
.cg-live {
  position: fixed;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
}
.cg-mirror {
  position: fixed;
  visibility: hidden;
  pointer-events: none;
  overflow: visible;
  height: auto;
  margin: 0;
}
.cg-layer { position: fixed; top: 0; left: 0; width: 0; height: 0; }
.cg-clip { position: fixed; left: 0; top: 0; overflow: hidden; pointer-events: none; }
.cg-mark {
  position: absolute;
  left: 0;
  top: 0;
  pointer-events: none;
  box-sizing: border-box;
  border-bottom: 2px solid var(--cg-block);
  background: color-mix(in srgb, var(--cg-block) 10%, transparent);
}
.cg-mark[data-severity="warn"] {
  border-bottom-color: var(--cg-warn);
  background: color-mix(in srgb, var(--cg-warn) 10%, transparent);
}
.cg-mark[data-severity="info"] {
  border-bottom: 2px dotted var(--cg-info);
  background: none;
}
/* The CSS Custom Highlight API paints these in the editor; the box stays for geometry only. */
.cg-mark[data-painted="highlight"] { border-color: transparent; background: none; }

.cg-banner, .cg-paste-dialog, .cg-send-confirm {
  position: fixed;
  left: 0;
  top: 0;
  box-sizing: border-box;
  max-width: min(440px, calc(100vw - 16px));
  /* Never taller than the viewport (a small cross-origin frame has its own): what does not fit
     scrolls, and a focused button scrolls itself into view. */
  max-height: calc(100vh - 8px);
  overflow: auto;
  overscroll-behavior: contain;
  /* Only the buttons and links take the pointer: clicks on the card's text reach the page below. */
  pointer-events: none;
  background: var(--cg-bg);
  color: var(--cg-fg);
  border: 1px solid var(--cg-border);
  border-left: 4px solid var(--cg-block);
  border-radius: 6px;
  box-shadow: 0 4px 16px var(--cg-shadow);
  padding: 8px 10px;
}
.cg-banner[data-verdict="warn"] { border-left-color: var(--cg-warn); }
.cg-banner[data-verdict="info"] { border-left-color: var(--cg-info); }
.cg-title { font-weight: 600; margin: 0 0 4px; }
/* A card that scrolls (shortened to fit a small window or frame) keeps its title whole at the top:
   the title sticks there over what scrolls under it (4px of its top padding go out of view; a sticky
   offset counts from inside the card's 8px padding), so no cut line shows above the button in view.
   Laid out as before while nothing is scrolled. */
.cg-banner:not([data-collapsed]) > .cg-title {
  position: sticky;
  top: -12px;
  z-index: 1;
  margin: -8px -10px 2px;
  padding: 8px 10px 2px;
  background: var(--cg-bg);
}
.cg-finding { padding: 4px 0; border-top: 1px solid var(--cg-border); }
.cg-finding:first-of-type { border-top: 0; }
/* Digits of equal width: "8 more" becoming "9 more" keeps the card's size (updated in place, not measured again). */
.cg-more { color: var(--cg-muted); margin: 2px 0 0; font-variant-numeric: tabular-nums; }
/* A collapsed card is a small marker in a corner of its composer, in the card's colour, with an
   exclamation mark drawn by gradients (no text for screen readers to read out); the title stays,
   out of sight, as the marker's accessible name. */
.cg-banner[data-collapsed] {
  --cg-mark-color: var(--cg-block);
  width: 12px;
  height: 12px;
  min-width: 0;
  padding: 0;
  overflow: hidden;
  border: 1.5px solid var(--cg-bg);
  border-radius: 50%;
  box-shadow: none;
  background:
    linear-gradient(var(--cg-bg), var(--cg-bg)) 50% 1.5px / 2px 4.5px no-repeat,
    linear-gradient(var(--cg-bg), var(--cg-bg)) 50% 7px / 2px 1.5px no-repeat,
    var(--cg-mark-color);
}
.cg-banner[data-collapsed][data-verdict="warn"] { --cg-mark-color: var(--cg-warn); }
.cg-banner[data-collapsed][data-verdict="info"] { --cg-mark-color: var(--cg-info); }
.cg-banner[data-collapsed] .cg-title {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: 0;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
}
.cg-banner[data-collapsed] .cg-finding, .cg-banner[data-collapsed] .cg-more { display: none; }
.cg-kind { font-weight: 600; }
.cg-excerpt { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.cg-reason, .cg-suggestion { margin: 2px 0; }
.cg-suggestion { color: var(--cg-muted); }
.cg-note { color: var(--cg-muted); font-size: 0.92em; margin: 4px 0 0; }
.cg-actions { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 4px; }
button, a { pointer-events: auto; }
button {
  font: inherit;
  color: var(--cg-fg);
  background: var(--cg-button);
  border: 1px solid var(--cg-border);
  border-radius: 4px;
  padding: 2px 8px;
  cursor: pointer;
}
button.cg-primary { background: var(--cg-block); border-color: var(--cg-block); color: var(--cg-bg); font-weight: 600; }
button:focus-visible, a:focus-visible { outline: 2px solid var(--cg-info); outline-offset: 1px; }
a { color: var(--cg-info); }
.cg-status {
  position: fixed;
  left: 0;
  top: 0;
  pointer-events: none;
  font-size: 11px;
  z-index: 1;
  line-height: 16px;
  padding: 0 6px;
  border-radius: 8px;
  white-space: nowrap;
  /* Faint by its colours, not by opacity: Firefox paints no element with opacity below 1 in this
     0x0 fixed host inside a frame from another site (the chip of a cross-origin frame was missing). */
  --cg-chip-ink: 85%;
  --cg-chip-fill: 72%;
  color: color-mix(in srgb, var(--cg-muted) var(--cg-chip-ink), transparent);
  background: color-mix(in srgb, var(--cg-bg) var(--cg-chip-fill), transparent);
  border: 1px solid color-mix(in srgb, var(--cg-border) var(--cg-chip-ink), transparent);
}
.cg-status[data-status="connected"] { --cg-chip-ink: 50%; --cg-chip-fill: 43%; }
.cg-status[hidden] { display: none; }
`;

// Painted by the CSS Custom Highlight API inside contenteditable editors (adopted into the editor's
// document or shadow root). The -dark names are used on dark composers. Solid lines, not wavy:
// Blink rebuilds and repaints every highlighted text node on each change of the page's DOM (each
// keystroke), and a wavy line is drawn as a path each time (ProseMirror, 2,000 typed characters,
// one devtools trace each: 964 ms of Paint with wavy lines, 321 ms with solid ones, round 8).
const highlight = (name, line, color, tint) =>
  `::highlight(${name}) { text-decoration: underline ${line} ${color}; text-decoration-skip-ink: none;${tint ? ` background-color: ${tint};` : ''} }`;

export const HIGHLIGHT_CSS = [
  highlight('cg-block', 'solid', '#d32f2f', 'rgb(211 47 47 / 10%)'),
  highlight('cg-warn', 'solid', '#ef8f00', 'rgb(239 143 0 / 10%)'),
  highlight('cg-info', 'dotted', '#1e88e5', null),
  highlight('cg-block-dark', 'solid', '#ff6b6b', 'rgb(255 107 107 / 18%)'),
  highlight('cg-warn-dark', 'solid', '#ffb74d', 'rgb(255 183 77 / 18%)'),
  highlight('cg-info-dark', 'dotted', '#64b5f6', null),
].join('\n');
