// Copies the production builds of GraphiQL and React from node_modules into the Go package that
// embeds them (internal/playground/assets), with their licence texts. Run by `make graphiql`.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const out = join(here, '..', '..', 'internal', 'playground', 'assets');

const files = [
  ['react/umd/react.production.min.js', 'react.production.min.js'],
  ['react/LICENSE', 'react.LICENSE.txt'],
  ['react-dom/umd/react-dom.production.min.js', 'react-dom.production.min.js'],
  ['react-dom/LICENSE', 'react-dom.LICENSE.txt'],
  ['graphiql/graphiql.min.js', 'graphiql.min.js'],
  ['graphiql/graphiql.min.css', 'graphiql.min.css'],
  ['graphiql/LICENSE', 'graphiql.LICENSE.txt'],
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const [from, to] of files) {
  copyFileSync(join(modules, from), join(out, to));
  console.log(`vendored ${from} -> internal/playground/assets/${to}`);
}
