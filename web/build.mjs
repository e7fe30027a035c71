// Builds the map page into ../server/web, which the Go server embeds:
// index.html and one fingerprinted JS and CSS file under assets/. The
// output is committed, so the service runs without npm; run this after any
// change to src/ (cd web && npm ci && npm run build).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { basemap, compact } from './basemap.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const committed = join(here, '..', 'server', 'web');
// --check builds into a temporary folder and fails if the committed files
// differ from it: the sources changed without a rebuild.
const check = process.argv.includes('--check');
const out = check ? mkdtempSync(join(tmpdir(), 'frontline-web-')) : committed;
const assets = join(out, 'assets');

// Old fingerprinted files would be embedded too: start clean.
rmSync(assets, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

// The basemap is a virtual module: generated here, never written to src/.
const basemapPlugin = {
  name: 'basemap',
  setup(build) {
    build.onResolve({ filter: /^virtual:basemap$/ }, (args) => ({ path: args.path, namespace: 'basemap' }));
    build.onLoad({ filter: /.*/, namespace: 'basemap' }, () => ({ contents: JSON.stringify(compact(basemap())), loader: 'json' }));
  },
};

const result = await esbuild.build({
  entryPoints: { app: join(here, 'src', 'app.js') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  outdir: assets,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  // Leaflet's CSS names a few small images: inline them.
  loader: { '.png': 'dataurl', '.svg': 'dataurl' },
  legalComments: 'eof',
  metafile: true,
  plugins: [basemapPlugin],
  absWorkingDir: here,
  // milsymbol's package exports only its everything-included entry; its
  // ES module index lets the page take the land icons alone.
  alias: { 'milsymbol-parts': './node_modules/milsymbol/index.mjs' },
  logLevel: 'warning',
});

// METAFILE=path writes esbuild's account of what went in, for
// https://esbuild.github.io/analyze/ or a quick look at the largest inputs.
if (process.env.METAFILE) writeFileSync(process.env.METAFILE, JSON.stringify(result.metafile));

const outputs = Object.keys(result.metafile.outputs).map((p) => relative(out, p));
const js = outputs.find((p) => p.endsWith('.js'));
const css = outputs.find((p) => p.endsWith('.css'));
if (!js || !css) throw new Error(`build: expected one .js and one .css, got ${outputs.join(', ')}`);

const html = readFileSync(join(here, 'src', 'index.html'), 'utf8')
  .replace('{{css}}', '/' + css)
  .replace('{{js}}', '/' + js);
writeFileSync(join(out, 'index.html'), html);

for (const f of ['index.html', ...readdirSync(assets).map((f) => join('assets', f))]) {
  const body = readFileSync(join(out, f));
  console.log(`${f.padEnd(34)} ${String(statSync(join(out, f)).size).padStart(8)} B  gzip ${String(gzipSync(body).length).padStart(7)} B`);
}

if (check) {
  const list = (dir) => ['index.html', ...readdirSync(join(dir, 'assets')).map((f) => join('assets', f))].sort();
  const want = list(out);
  let have = [];
  try {
    have = list(committed);
  } catch {
    have = [];
  }
  const stale = want.filter((f) => !have.includes(f) || !readFileSync(join(out, f)).equals(readFileSync(join(committed, f))))
    .concat(have.filter((f) => !want.includes(f)));
  rmSync(out, { recursive: true, force: true });
  if (stale.length) {
    console.error(`server/web is out of date (${stale.join(', ')}): run npm run build in web/ and commit server/web`);
    process.exit(1);
  }
  console.log('server/web matches the sources');
}
