/**
 * `shotline verify FILE...`: prints each file's content credentials (the manifest chain and
 * the validation result). Trusts this installation's own root and any --trust PEM files.
 * Exit status: 0 when every file has valid credentials, 1 when one is invalid or has none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ShotlineError } from '../../app/errors.js';
import { installationRoot } from '../provenance/credentials.js';
import { formatReport, readCredentials } from '../provenance/verify.js';
import { defaultUserDataDir } from '../store/library-store.js';

export { VERIFY_USAGE } from './usage.js';

export async function verifyCmd(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { trust: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } } });
  if (positionals.length === 0) throw new ShotlineError('invalid_input', 'Name a file to verify.', 'shotline verify film.mp4');
  const anchors = [installationRoot(defaultUserDataDir()), ...(values.trust ?? []).map((f) => fs.readFileSync(f, 'utf8'))].filter((x): x is string => !!x);
  let ok = true;
  for (const file of positionals) {
    if (!fs.existsSync(file)) throw new ShotlineError('not_found', `${file} does not exist.`);
    const report = await readCredentials(path.resolve(file), anchors);
    if (report.state === 'none' || report.state === 'Invalid') ok = false;
    out.write(values.json ? `${JSON.stringify({ file, ...report })}\n` : `${formatReport(file, report)}\n`);
  }
  return ok ? 0 : 1;
}
