// The layer rules really refuse what docs/ARCHITECTURE.md forbids: each fixture line in
// layer-fixtures/*.txt is linted alone, with the repository's eslint.config.js, as a file of
// that layer. Every "forbidden" line must fail on a layer rule; every "allowed" line must pass
// (so the rules are not simply refusing everything).
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const dir = path.join(__dirname, 'layer-fixtures');
const LAYER_RULES = new Set(['shotline/layers', 'no-restricted-globals', 'no-restricted-syntax']);

interface Fixture {
  name: string;
  filePath: string;
  forbidden: string[];
  allowed: string[];
}

function readFixture(name: string): Fixture {
  const fx: Fixture = { name, filePath: '', forbidden: [], allowed: [] };
  let section: 'forbidden' | 'allowed' | null = null;
  for (const line of fs.readFileSync(path.join(dir, name), 'utf8').split('\n')) {
    const as = /^# lint as: (.+)$/.exec(line);
    if (as) fx.filePath = path.join(root, as[1]!.trim());
    else if (line === '# forbidden' || line === '# allowed') section = line.slice(2) as 'forbidden' | 'allowed';
    else if (line.trim() && !line.startsWith('#') && section) fx[section].push(line);
  }
  return fx;
}

const fixtures = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map(readFixture);
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function layerErrors(code: string, filePath: string): Promise<string[]> {
  const [res] = await eslint.lintText(code, { filePath });
  const fatal = res!.messages.filter((m) => m.fatal);
  if (fatal.length) throw new Error(`fixture line does not parse: ${code}\n${fatal.map((m) => m.message).join('\n')}`);
  return res!.messages.filter((m) => m.ruleId && LAYER_RULES.has(m.ruleId)).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer lint rules', () => {
  it('has fixtures for every layer', () => {
    expect(fixtures.map((f) => f.name)).toEqual(expect.arrayContaining(['app.txt', 'native.txt', 'main.txt', 'main-electron.txt', 'renderer.txt', 'scripts.txt']));
    for (const f of fixtures) {
      expect(f.filePath, f.name).not.toBe('');
      expect(f.forbidden.length, f.name).toBeGreaterThan(0);
      expect(f.allowed.length, f.name).toBeGreaterThan(0);
    }
  });

  for (const f of fixtures) {
    it(`${f.name}: every forbidden line fails, every allowed line passes (as ${path.relative(root, f.filePath)})`, async () => {
      const passedButForbidden: string[] = [];
      const failedButAllowed: string[] = [];
      for (const line of f.forbidden) if ((await layerErrors(line, f.filePath)).length === 0) passedButForbidden.push(line);
      for (const line of f.allowed) {
        const errs = await layerErrors(line, f.filePath);
        if (errs.length) failedButAllowed.push(`${line}  →  ${errs.join('; ')}`);
      }
      expect(passedButForbidden).toEqual([]);
      expect(failedButAllowed).toEqual([]);
    });
  }

  it('names what is wrong and where the rule lives', async () => {
    const errs = await layerErrors("import { EventEmitter } from 'node:events';", path.join(root, 'app/model/__fixture__.ts'));
    expect(errs).toEqual([expect.stringMatching(/'node:events': app\/ has no Node built-ins/)]);
    const up = await layerErrors("import { x } from '../../main/store/rows.js';", path.join(root, 'native/pack/__fixture__.ts'));
    expect(up).toEqual([expect.stringMatching(/native\/ must not import main\//)]);
  });
});
