// The per-layer TypeScript programs (build/typecheck.mjs) refuse what a layer does not have:
// each snippet is compiled as its own file under that layer's compiler options; every
// "forbidden" one must have an error, every "allowed" one none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shotline-tsc-layers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const cases: Record<string, { extraFiles?: string[]; forbidden: string[]; allowed: string[] }> = {
  'tsconfig.app.json': {
    extraFiles: ['app/env.d.ts'],
    forbidden: [
      'export const a = document.title;',
      'export const b = window.innerWidth;',
      'export const c = localStorage.getItem("k");',
      'export const d = process.env.HOME;',
      'export const e = Buffer.from("x");',
      'export const f = __dirname;',
      'export const g: HTMLElement | null = null;',
      'import fs from "node:fs"; export const h = fs;',
      'export const i = setImmediate;',
    ],
    allowed: ['export const a = [1, 2].at(-1);', 'export const m = new Map<string, number>();', 'export const aborted = (s: AbortSignal) => s.aborted;'],
  },
  'tsconfig.renderer.json': {
    forbidden: ['export const d = process.env.NODE_ENV;', 'export const e = Buffer.from("x");', 'export const f = __dirname;', 'import fs from "node:fs"; export const h = fs;', 'export const i = setImmediate;'],
    allowed: ['export const a = document.title;', 'export const b = window.innerWidth;', 'export const c = localStorage.getItem("k");'],
  },
  'tsconfig.node.json': {
    extraFiles: ['main/env.d.ts'],
    forbidden: ['export const a = document.title;', 'export const b = window.innerWidth;', 'export const c = localStorage.getItem("k");', 'export const g: HTMLElement | null = null;'],
    allowed: ['export const d = process.env.HOME;', 'export const e = Buffer.from("x");', 'import fs from "node:fs"; export const h = fs;', 'export const w = WebAssembly.compile;'],
  },
};

function diagnosticsPerFile(config: string, snippets: string[], extraFiles: string[]): number[] {
  const read = ts.readConfigFile(path.join(root, config), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root);
  const dir = path.join(tmp, config);
  fs.mkdirSync(dir, { recursive: true });
  const files = snippets.map((s, i) => {
    const f = path.join(dir, `snippet${i}.ts`);
    fs.writeFileSync(f, s + '\n');
    return f;
  });
  const options = { ...parsed.options, incremental: false, tsBuildInfoFile: undefined, noUnusedLocals: false };
  const program = ts.createProgram([...files, ...extraFiles.map((f) => path.join(root, f))], options);
  return files.map((f) => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)).length);
}

describe('per-layer compiler options', () => {
  for (const [config, c] of Object.entries(cases)) {
    it(`${config}: each forbidden snippet fails to compile, each allowed one compiles`, () => {
      const counts = diagnosticsPerFile(config, [...c.forbidden, ...c.allowed], c.extraFiles ?? []);
      const compiledButForbidden = c.forbidden.filter((_, i) => counts[i] === 0);
      const failedButAllowed = c.allowed.filter((_, i) => counts[c.forbidden.length + i] !== 0);
      expect(compiledButForbidden).toEqual([]);
      expect(failedButAllowed).toEqual([]);
    });
  }

  it('npm run typecheck runs every layer program', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.typecheck).toBe('node build/typecheck.mjs');
    const script = fs.readFileSync(path.join(root, 'build/typecheck.mjs'), 'utf8');
    for (const config of [...Object.keys(cases), 'tsconfig.json']) expect(script).toContain(`'${config}'`);
  });
});
