// Copies the minified ES-module build of Cytoscape.js from node_modules into the Go package that
// embeds it (internal/explorer/assets), with its licence text. Run by `make explorer`.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const out = join(here, '..', '..', 'internal', 'explorer', 'assets');

const files = [
  ['cytoscape/dist/cytoscape.esm.min.mjs', 'cytoscape.esm.min.js'],
  ['cytoscape/LICENSE', 'cytoscape.LICENSE.txt'],
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const [from, to] of files) {
  copyFileSync(join(modules, from), join(out, to));
  console.log(`vendored ${from} -> internal/explorer/assets/${to}`);
}
