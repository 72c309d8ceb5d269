/**
 * `shotline serve`'s video maker: this machine's local model packs behind the VideoStore.
 * create → text- or image-to-video; remix and edits → video-to-video of the source;
 * extensions → image-to-video from the source's last frame, joined after the source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ShotlineError } from '../../app/errors.js';
import type { EndpointCapabilities } from '../../app/endpoints/types.js';
import type { GenerationRequest } from '../../app/generation/request.js';
import type { ResolvedInputs } from '../../app/generation/types.js';
import type { BackendRegistry } from '../backends/registry.js';
import { makeScratchDir } from '../backends/media-io.js';
import type { FfmpegEngine } from '../media/engine.js';
import type { MakeSpec, VideoMaker } from './video-store.js';

const REMIX_STRENGTH = 0.6;

export class LocalPackMaker implements VideoMaker {
  constructor(
    private readonly registry: BackendRegistry,
    private readonly engine: FfmpegEngine,
  ) {}

  async models(): Promise<{ id: string; capabilities: EndpointCapabilities }[]> {
    const { ready } = await this.registry.local.scan();
    return ready.map((b) => ({
      id: b.model.name,
      capabilities: { ...b.capabilities, tasks: ['text-to-video', 'image-to-video'], operations: ['remix', 'extend', 'edit'], imageInput: true },
    }));
  }

  async make(spec: MakeSpec, out: string, thumb: string, onProgress: (pct: number) => void, signal: AbortSignal): Promise<void> {
    const backend = await this.registry.local.resolve('local-onnx', spec.model);
    const scratch = await makeScratchDir('shotline-serve-');
    try {
      const caps = backend.capabilities;
      const seconds = spec.op === 'extend' ? caps.durations[0]! : spec.seconds;
      const base: GenerationRequest = { task: 'text-to-video', prompt: spec.prompt, seed: Math.floor(Math.random() * 2 ** 32), durationSeconds: seconds, size: spec.size };
      const inputs: ResolvedInputs = {};
      let req = base;
      if (spec.op === 'create' && spec.inputReference) {
        req = { ...base, task: 'image-to-video', referenceImage: { path: spec.inputReference } };
        inputs.referenceImage = { path: spec.inputReference, sha256: '', name: 'input_reference' };
      } else if (spec.op === 'remix' || spec.op === 'edit') {
        if (!spec.source) throw new ShotlineError('invalid_input', 'A remix needs its source video.');
        req = { ...base, task: 'video-to-video', remix: { source: { path: spec.source }, strength: REMIX_STRENGTH } };
        inputs.remixSource = { path: spec.source, sha256: '', name: 'source' };
      } else if (spec.op === 'extend') {
        if (!spec.source) throw new ShotlineError('invalid_input', 'An extension needs its source video.');
        req = { ...base, task: 'image-to-video', referenceImage: { path: spec.source } };
        inputs.referenceImage = { path: spec.source, sha256: '', name: 'source', lastFrameOfVideo: true };
      }
      const segment = path.join(scratch.dir, 'segment.mp4');
      await backend.generate(req, inputs, { outPath: segment, signal, onProgress: (p) => onProgress(p.fraction * 100) });
      const tmpOut = `${out}.partial.mp4`;
      if (spec.op === 'extend') {
        // The source, then the new segment (same pack, same encoding): one clip.
        const list = path.join(scratch.dir, 'list.txt');
        await fs.promises.writeFile(list, `file '${spec.source!.replace(/'/g, "'\\''")}'\nfile '${segment.replace(/'/g, "'\\''")}'\n`);
        await this.engine.run({ args: ['-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-movflags', '+faststart', tmpOut], signal });
      } else await fs.promises.copyFile(segment, tmpOut);
      await this.engine.run({ args: ['-y', '-i', tmpOut, '-frames:v', '1', '-q:v', '4', thumb], signal });
      await fs.promises.rename(tmpOut, out);
    } finally {
      await scratch.cleanup();
    }
  }
}
