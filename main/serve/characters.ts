/**
 * `POST /v1/videos/characters` (multipart `name` + `video`) → `{id, name, created_at}` and
 * `GET /v1/videos/characters/{id}`, as the openai SDK's `videos.createCharacter` /
 * `getCharacter` speak them. Shotline's own server keeps the uploaded clip (the local pack has
 * no use for characters yet; the prompt still names them), so a client's character upload can
 * be tested against a real server. Like the protocol, there is no delete.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface ServedCharacter {
  id: string;
  name: string;
  created_at: number;
}

export class CharacterStore {
  private readonly items = new Map<string, ServedCharacter & { file: string; bytes: number }>();

  constructor(private readonly dir: string) {}

  /** Validated fields → the character, or a message for a 400. */
  async create(name: unknown, video: File | undefined): Promise<ServedCharacter | string> {
    if (typeof name !== 'string' || !name.trim()) return "Missing required parameter: 'name'.";
    if (!video) return "Missing required parameter: 'video'.";
    const data = new Uint8Array(await video.arrayBuffer());
    if (data.length === 0) return 'The character video is empty.';
    fs.mkdirSync(this.dir, { recursive: true });
    const id = `char_${randomBytes(12).toString('hex')}`;
    const file = path.join(this.dir, `${id}${path.extname(video.name) || '.mp4'}`);
    await fs.promises.writeFile(file, data);
    const c = { id, name: name.trim(), created_at: Math.floor(Date.now() / 1000) };
    this.items.set(id, { ...c, file, bytes: data.length });
    return c;
  }

  get(id: string): ServedCharacter | null {
    const c = this.items.get(id);
    return c ? { id: c.id, name: c.name, created_at: c.created_at } : null;
  }

  /** What was uploaded (for tests and logs): id, name, bytes. */
  list(): { id: string; name: string; bytes: number }[] {
    return [...this.items.values()].map((c) => ({ id: c.id, name: c.name, bytes: c.bytes }));
  }
}
