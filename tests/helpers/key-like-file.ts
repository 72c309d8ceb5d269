import crypto from 'node:crypto';
import fs from 'node:fs';

/**
 * Writes a file shaped like an OpenSSH private key (armour + a base64 body starting with the
 * "openssh-key-v1" magic), made at run time with random bytes, so tests can check that error
 * messages never quote a file's content without committing anything that looks like a key.
 */
export function writeKeyLikeFile(file: string): void {
  const armour = ['OPENSSH', 'PRIVATE', 'KEY'].join(' ');
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), crypto.randomBytes(32)]).toString('base64');
  fs.writeFileSync(file, `-----BEGIN ${armour}-----\n${body}\n-----END ${armour}-----\n`);
}
