// Light or dark panels for a composer, from what is really behind it: the first opaque background
// of the composer or its ancestors (across shadow hosts and same-origin frame elements). When
// everything up to the root is transparent the page's canvas shows: white, unless the page opts
// into dark with `color-scheme`, in which case the OS preference (prefers-color-scheme) decides.

import { themeOfColor } from '../lib/colors.js';
import { parentAcross } from './trees.js';

/** What is behind `element`: its parent across shadow hosts, then the frame element it is shown in. */
function behind(element) {
  return parentAcross(element) ?? element.ownerDocument.defaultView?.frameElement ?? null;
}

/** 'dark', 'light', or null (follow prefers-color-scheme). */
export function themeOf(element) {
  let last = element;
  try {
    for (let node = element; node; node = behind(node)) {
      last = node;
      const style = node.ownerDocument.defaultView.getComputedStyle(node);
      const theme = themeOfColor(style.backgroundColor);
      if (theme) return theme;
    }
    const root = last.ownerDocument.documentElement;
    const scheme = root.ownerDocument.defaultView.getComputedStyle(root).colorScheme ?? '';
    return /\bdark\b/.test(scheme) ? null : 'light';
  } catch {
    return null; // a frame went away while we looked: follow the OS
  }
}
