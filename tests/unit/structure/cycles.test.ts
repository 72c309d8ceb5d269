// app/, native/ and main/ form a tree: no import cycle between files, nor between the
// folders of a layer (docs/ARCHITECTURE.md). The fixtures prove the checker finds both kinds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { findCycles, folderGraph, importGraph, listSources } from '../../../build/import-graph.mjs';

type Graph = Map<string, string[]>;
const check = { findCycles, folderGraph, importGraph, listSources } as {
  findCycles(g: Graph): string[][];
  folderGraph(g: Graph, dir: string): Graph;
  importGraph(files: string[]): Graph;
  listSources(dirs: string[]): string[];
};

const root = path.resolve(__dirname, '../../..');
const rel = (cycles: string[][]) => cycles.map((c) => c.map((f) => path.relative(root, f)));

describe('import cycles', () => {
  for (const layer of ['app', 'native', 'main']) {
    it(`${layer}/ has no cycle between files or between its folders`, () => {
      const dir = path.join(root, layer);
      const graph = check.importGraph(check.listSources([path.join(root, 'app'), path.join(root, 'native'), path.join(root, 'main')]));
      expect(graph.size).toBeGreaterThan(50);
      const files = rel(check.findCycles(graph).filter((c) => c.some((f) => f.startsWith(dir + path.sep))));
      expect(files).toEqual([]);
      expect(rel(check.findCycles(check.folderGraph(graph, dir)))).toEqual([]);
    });
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-cycles-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (p: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tmp, p)), { recursive: true });
    fs.writeFileSync(path.join(tmp, p), text);
  };

  it('finds a cycle between files, through type-only, dynamic and require imports', () => {
    write('files/a.ts', "import type { B } from './b.js';\nexport type A = B;\n");
    write('files/b.ts', "export const b = () => import('./c.js');\nexport type B = number;\n");
    write('files/c.ts', "// import './zzz.js' in a comment is not an edge\nconst a = require('./a');\nexport default a;\n");
    write('files/d.ts', "import { b } from './b.js';\nexport const d = b;\n");
    const graph = check.importGraph(check.listSources([path.join(tmp, 'files')]));
    const cycles = check.findCycles(graph).map((c) => c.map((f) => path.basename(f)));
    expect(cycles).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('finds a cycle between folders that no file pair shows', () => {
    write('layer/services/shotline.ts', "import { job } from '../stabilize/job.js';\nexport const s = job;\n");
    write('layer/services/session.ts', 'export class Session {}\n');
    write('layer/stabilize/job.ts', "import type { Session } from '../services/session.js';\nexport const job = (s: Session) => s;\n");
    const dir = path.join(tmp, 'layer');
    const graph = check.importGraph(check.listSources([dir]));
    expect(check.findCycles(graph)).toEqual([]);
    const folders = check.findCycles(check.folderGraph(graph, dir)).map((c) => c.map((f) => path.basename(f)));
    expect(folders).toEqual([['services', 'stabilize']]);
  });
});
