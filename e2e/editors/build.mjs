// Bundles each editor page (src/<editor>.js) into dist/<editor>.js (+ .css) with esbuild.
// Run by scripts/setup --dev after `npm ci`; dist/ is git-ignored and rebuilt from the lock file.
import { build } from 'esbuild';
import { existsSync, writeFileSync } from 'node:fs';

export const EDITORS = ['prosemirror', 'tiptap', 'lexical', 'draft', 'slate', 'quill', 'ckeditor', 'textarea'];

await build({
  entryPoints: Object.fromEntries(EDITORS.map((name) => [name, `src/${name}.js`])),
  bundle: true,
  outdir: 'dist',
  format: 'iife',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  loader: { '.svg': 'text' },
  logLevel: 'warning',
});
// The page links dist/<editor>.css for every editor; editors without a stylesheet get an empty one.
for (const name of EDITORS) {
  if (!existsSync(`dist/${name}.css`)) writeFileSync(`dist/${name}.css`, '');
}
