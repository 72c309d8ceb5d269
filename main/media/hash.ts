/** Content addresses for media: SHA-256 of the bytes, streamed so large files never sit in memory. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';

export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
