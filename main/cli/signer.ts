/**
 * `shotline signer`: which certificate signs this installation's exports (content credentials),
 * and switching it. Without options it prints the current signer. `--cert CHAIN.pem --key KEY.pem`
 * makes Shotline sign with the user's own certificate (checked first: a P-256 key that belongs to
 * the chain's first certificate); `--installation` goes back to this installation's own
 * certificate, which is not on any public trust list.
 */
import { parseArgs } from 'node:util';
import { ShotlineError } from '../../app/errors.js';
import { loadCredentials, useInstallationCredentials, useOwnCredentials, type SigningCredentials } from '../provenance/credentials.js';
import { defaultUserDataDir } from '../store/library-store.js';

export { SIGNER_USAGE } from './usage.js';

function describe(c: SigningCredentials): string {
  const who = c.source === 'user' ? 'your own certificate' : "this installation's own certificate (not on a public trust list: other readers say \"signer not trusted\")";
  const where = { keychain: 'the OS keychain', file: 'a file readable only by you (no OS keychain here)', 'user-file': 'your key file' }[c.keyStorage];
  return `Exports are signed with ${who}.\n  subject: ${c.subject}\n  private key: in ${where}\n`;
}

export async function signerCmd(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values } = parseArgs({ args, options: { cert: { type: 'string' }, key: { type: 'string' }, installation: { type: 'boolean', default: false } } });
  const home = defaultUserDataDir();
  if (values.installation && (values.cert || values.key)) throw new ShotlineError('invalid_input', 'Choose either --installation or --cert with --key, not both.');
  if (!!values.cert !== !!values.key) throw new ShotlineError('invalid_input', 'Give both --cert (the PEM chain, signing certificate first) and --key (its PEM private key).', 'shotline signer --cert chain.pem --key key.pem');
  if (values.cert && values.key) await useOwnCredentials(home, values.cert, values.key);
  else if (values.installation) await useInstallationCredentials(home);
  out.write(describe(await loadCredentials({ userDataDir: home })));
}
