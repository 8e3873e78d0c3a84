// Reading computed CSS colours, to tell a dark background from a light one.

/** {r, g, b, alpha} (0–255, 0–1) from a computed colour: rgb()/rgba() either syntax, or color(srgb …). */
export function parseColor(value) {
  const text = String(value ?? '').trim().toLowerCase();
  if (text === 'transparent') return { r: 0, g: 0, b: 0, alpha: 0 };
  let match = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)$/.exec(text);
  if (match) {
    return { r: Number(match[1]), g: Number(match[2]), b: Number(match[3]), alpha: alphaOf(match[4], match[5]) };
  }
  match = /^color\(srgb\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)(?:\s*\/\s*([\d.]+)(%?))?\s*\)$/.exec(text);
  if (match) {
    return { r: Number(match[1]) * 255, g: Number(match[2]) * 255, b: Number(match[3]) * 255, alpha: alphaOf(match[4], match[5]) };
  }
  return null;
}

function alphaOf(value, percent) {
  if (value === undefined) return 1;
  return percent ? Number(value) / 100 : Number(value);
}

/** WCAG relative luminance of an sRGB colour (0 black … 1 white). */
export function luminance({ r, g, b }) {
  const linear = (channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * 'dark' or 'light' for a mostly opaque background colour, null when it is see-through (or written
 * in a colour space this does not read), so the caller looks further back.
 */
export function themeOfColor(value) {
  const color = parseColor(value);
  if (!color || color.alpha < 0.5) return null;
  // 0.18 is about where black and white text are equally readable on the colour.
  return luminance(color) < 0.18 ? 'dark' : 'light';
}
