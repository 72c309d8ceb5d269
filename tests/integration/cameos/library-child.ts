/**
 * A real process doing one cameo-library operation, for the crash test: the test sets
 * SHOTLINE_FAULT_KILL to a fault point and this process SIGKILLs itself there.
 * argv: <userDataDir> create <still> <voice> | revoke <cameoId> | import <bundle>
 */
import { LibraryStore } from '../../../main/store/library-store.js';
import { CameoLibrary } from '../../../main/cameos/library.js';
import { importBundle } from '../../../main/cameos/bundle.js';
import { CameoService } from '../../../main/cameos/service.js';
import type { FfmpegEngine } from '../../../main/media/engine.js';

const [dir, op, ...rest] = process.argv.slice(2);
const store = new LibraryStore(dir!);
const lib = new CameoLibrary(store);
if (op === 'create') {
  const c = await lib.create(
    {
      name: 'Maya',
      handle: 'maya',
      description: '',
      tags: [],
      consent: { subject: 'Maya', audience: 'only-me', collaborators: [], covers: 'both', expiresOn: null, signedName: 'Maya', signedOn: '2026-11-01', spokenSentence: null },
      media: [
        { role: 'still', file: rest[0]!, ext: 'png' },
        { role: 'voice', file: rest[1]!, ext: 'wav' },
      ],
    },
    { name: 'Jo', keyId: null },
  );
  console.log(`created ${c.id}`);
} else if (op === 'revoke') {
  lib.revoke(rest[0]!, 'asked');
  console.log('revoked');
} else if (op === 'import') {
  // Importing needs no ffmpeg: the bundle's media are copied as they are.
  const c = await importBundle(new CameoService(store, null as unknown as FfmpegEngine), rest[0]!);
  console.log(`imported ${c.id}`);
}
store.close();
