// The import graph of our own TypeScript sources, and its cycles.
// `node build/import-graph.mjs [dir…]` prints every cycle (between files, and between the
// folders of each dir) and exits 1 if there is one; the
// vitest suite (tests/unit/structure/cycles.test.ts) runs the same functions so CI fails on a cycle.
// Type-only imports count: a cycle through types still ties modules together (docs/ARCHITECTURE.md).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EXTS = ['.ts', '.tsx', '.mts', '.js', '.mjs'];
// import/export … from '…', import '…', import('…'), require('…')
const SPEC = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Every source file under `dirs` (absolute paths), skipping node_modules and dist. */
export function listSources(dirs) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (EXTS.some((x) => e.name.endsWith(x)) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

function resolveRelative(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.(js|mjs)$/, '');
  const candidates = [base, ...EXTS.map((x) => stem + x), ...EXTS.map((x) => path.join(base, 'index' + x))];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? null;
}

/** Map file → the files of ours it imports (relative specifiers only; packages are not ours). */
export function importGraph(files) {
  const set = new Set(files);
  const graph = new Map();
  for (const f of files) {
    const src = stripComments(fs.readFileSync(f, 'utf8'));
    const deps = new Set();
    for (const m of src.matchAll(SPEC)) {
      if (!m[1].startsWith('.')) continue;
      const r = resolveRelative(f, m[1]);
      if (r && set.has(r)) deps.add(r);
    }
    graph.set(f, [...deps].sort());
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): Tarjan. */
export function findCycles(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  const strong = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return out;
}

/**
 * The same graph between the folders directly under `layerDir` (app/color, app/render, …;
 * files at the top of the layer form their own node). A folder-level cycle means two
 * modules lean on each other even when no single file pair does (e.g. services/ importing
 * stabilize/ whose job imported the session from services/); the layers are meant to be a tree.
 */
export function folderGraph(graph, layerDir) {
  const folder = (f) => {
    const rel = path.relative(layerDir, f);
    if (rel.startsWith('..')) return null;
    const parts = rel.split(path.sep);
    return parts.length > 1 ? path.join(layerDir, parts[0]) : f;
  };
  const out = new Map();
  for (const [f, deps] of graph) {
    const a = folder(f);
    if (!a) continue;
    if (!out.has(a)) out.set(a, new Set());
    for (const d of deps) {
      const b = folder(d);
      if (b && b !== a) out.get(a).add(b);
    }
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.cwd();
  const dirs = (process.argv.slice(2).length ? process.argv.slice(2) : ['app', 'native', 'main', 'renderer/src']).map((d) => path.resolve(root, d));
  const graph = importGraph(listSources(dirs));
  const cycles = [...findCycles(graph), ...dirs.flatMap((d) => findCycles(folderGraph(graph, d)))];
  for (const c of cycles) console.log(`cycle (${c.length} files):\n  ${c.map((f) => path.relative(root, f)).join('\n  ')}`);
  console.log(cycles.length ? `${cycles.length} import cycle(s)` : 'no import cycles');
  process.exit(cycles.length ? 1 : 0);
}
