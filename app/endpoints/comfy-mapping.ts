/**
 * ComfyUI workflows: an API-format graph the user saved from ComfyUI ("Export (API)":
 * `{ "<node id>": { "class_type", "inputs": {…} } }`) plus a small mapping saying which node
 * inputs receive the prompt, negative prompt, seed, frame count, size, fps, input image and
 * voice sample (a cameo's, through a LoadAudio node),
 * and which output node holds the video. Pure: parse + validate (every mapped node and input
 * must exist, so a renamed node is caught when the workflow is loaded, not after a queue
 * wait), the capabilities a mapping implies, and the graph for one request.
 */
import { z } from 'zod';
import { MAX_PROMPT_CHARS } from '../generation/request.js';
import type { EndpointCapabilities } from './types.js';

const slot = z.object({ node: z.string().min(1), input: z.string().min(1) }).strict();

export const comfyMappingSchema = z
  .object({
    version: z.literal(1),
    /** What the workflow does: from text, or from an input image. */
    task: z.enum(['text-to-video', 'image-to-video']),
    inputs: z
      .object({
        prompt: slot,
        negativePrompt: slot.optional(),
        seed: slot.optional(),
        frames: slot.optional(),
        width: slot.optional(),
        height: slot.optional(),
        fps: slot.optional(),
        image: slot.optional(),
        /** The LoadAudio node that receives a cameo's voice sample (an uploaded audio file's name). */
        voice: slot.optional(),
      })
      .strict(),
    /** Frame counts the model takes: multiple × n + plus (Wan: 4n + 1). */
    frameRule: z.object({ multiple: z.number().int().min(1), plus: z.number().int().min(0) }).strict().optional(),
    output: z.object({ node: z.string().min(1) }).strict(),
    sizes: z.array(z.object({ width: z.number().int().min(16).max(8192), height: z.number().int().min(16).max(8192) })).min(1),
    durations: z.array(z.number().positive().max(600)).min(1),
    fps: z.number().positive().max(240),
    audio: z.boolean().default(false),
  })
  .strict();

export type ComfyMapping = z.output<typeof comfyMappingSchema>;
export type ComfyGraph = Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: unknown }>;

/** Parse and cross-check a workflow and its mapping; throws an Error whose message says what to fix. */
export function checkWorkflow(workflowRaw: unknown, mappingRaw: unknown, names: { workflow: string; mapping: string }): { graph: ComfyGraph; mapping: ComfyMapping } {
  const problems: string[] = [];
  if (!workflowRaw || typeof workflowRaw !== 'object' || Array.isArray(workflowRaw)) throw new Error(`${names.workflow} is not a ComfyUI workflow in API format (a JSON object of nodes).`);
  const graph = workflowRaw as ComfyGraph;
  if ('nodes' in graph && 'links' in graph)
    throw new Error(`${names.workflow} is a ComfyUI UI workflow, not the API format. In ComfyUI use "Export (API)" (or Save (API Format)) and load that file.`);
  for (const [id, n] of Object.entries(graph)) {
    if (!n || typeof n !== 'object' || typeof n.class_type !== 'string' || !n.inputs || typeof n.inputs !== 'object') problems.push(`node "${id}" has no class_type/inputs`);
  }
  const m = comfyMappingSchema.safeParse(mappingRaw);
  if (!m.success) throw new Error(`${names.mapping} is not a valid mapping: ${m.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`);
  const mapping = m.data;
  for (const [role, s] of Object.entries(mapping.inputs)) {
    if (!s) continue;
    const node = graph[s.node];
    if (!node) problems.push(`${role} points at node "${s.node}", which the workflow does not have`);
    else if (!(s.input in node.inputs)) problems.push(`${role} points at input "${s.input}" of node "${s.node}" (${node.class_type}), which has only: ${Object.keys(node.inputs).join(', ')}`);
  }
  if (!graph[mapping.output.node]) problems.push(`the output node "${mapping.output.node}" is not in the workflow`);
  if (mapping.task === 'image-to-video' && !mapping.inputs.image) problems.push('an image-to-video workflow needs inputs.image (the LoadImage node that receives the picture)');
  if (problems.length) throw new Error(`${names.workflow} with ${names.mapping}: ${problems.join('; ')}.`);
  return { graph, mapping };
}

export function comfyCapabilities(m: ComfyMapping): EndpointCapabilities {
  return {
    tasks: [m.task],
    sizes: m.sizes,
    durations: m.durations,
    fps: [m.fps],
    audio: m.audio,
    maxTakes: 4,
    steps: null,
    guidance: null,
    deterministic: !!m.inputs.seed,
    maxPromptChars: MAX_PROMPT_CHARS,
    operations: [],
    imageInput: m.task === 'image-to-video',
    voiceInput: !!m.inputs.voice,
  };
}

/** Frames for a clip length under the workflow's rule (Wan: 4n + 1, so 5 s at 16 fps = 81). */
export function frameCount(m: ComfyMapping, seconds: number): number {
  const raw = Math.max(1, Math.round(seconds * m.fps));
  if (!m.frameRule) return raw;
  const { multiple, plus } = m.frameRule;
  return Math.max(plus + multiple, Math.round((raw - plus) / multiple) * multiple + plus);
}

export interface ComfyValues {
  prompt: string;
  negativePrompt: string;
  seed: number;
  seconds: number;
  size: { width: number; height: number };
  /** The uploaded image's name as /upload/image returned it ("sub/name.png"). */
  image?: string;
  /** The uploaded voice sample's name, for the mapped LoadAudio node. */
  voice?: string;
}

/** A fresh copy of the graph with the request's values in the mapped inputs. */
export function buildGraph(graph: ComfyGraph, m: ComfyMapping, v: ComfyValues): ComfyGraph {
  const g = JSON.parse(JSON.stringify(graph)) as ComfyGraph;
  const put = (s: { node: string; input: string } | undefined, value: unknown) => {
    if (s) g[s.node]!.inputs[s.input] = value;
  };
  put(m.inputs.prompt, v.prompt);
  put(m.inputs.negativePrompt, v.negativePrompt);
  put(m.inputs.seed, v.seed);
  put(m.inputs.frames, frameCount(m, v.seconds));
  put(m.inputs.width, v.size.width);
  put(m.inputs.height, v.size.height);
  put(m.inputs.fps, m.fps);
  if (v.image !== undefined) put(m.inputs.image, v.image);
  if (v.voice !== undefined) put(m.inputs.voice, v.voice);
  return g;
}
