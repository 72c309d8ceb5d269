/**
 * A minimal ONNX writer (protobuf by hand): tiny graphs with known maths for tests, and the
 * one-node graph `shotline doctor` probes execution providers with when no pack is installed
 * (no Python needed): ModelProto → GraphProto → NodeProto / TensorProto / ValueInfoProto.
 * Field numbers from onnx/onnx.proto.
 */

class Pb {
  private readonly parts: number[] = [];

  private varint(v: bigint | number): void {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.parts.push(Number((x & 0x7fn) | 0x80n));
      x >>= 7n;
    }
    this.parts.push(Number(x));
  }
  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }
  int(field: number, v: number | bigint): this {
    this.key(field, 0);
    this.varint(v);
    return this;
  }
  bytes(field: number, b: Uint8Array): this {
    this.key(field, 2);
    this.varint(b.length);
    for (const x of b) this.parts.push(x);
    return this;
  }
  str(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  msg(field: number, m: Pb): this {
    return this.bytes(field, m.done());
  }
  float(field: number, v: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    for (const x of b) this.parts.push(x);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export const FLOAT = 1;
export const INT64 = 7;
type Dim = number | string;

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, { i: number } | { f: number } | { ints: number[] }>;
}

export interface TensorInit {
  name: string;
  type: typeof FLOAT | typeof INT64;
  dims: number[];
  values: number[];
}

export interface GraphSpec {
  name: string;
  inputs: { name: string; type: number; shape: Dim[] }[];
  outputs: { name: string; type: number; shape: Dim[] }[];
  nodes: NodeSpec[];
  initializers: TensorInit[];
  opset?: number;
}

function valueInfo(v: { name: string; type: number; shape: Dim[] }): Pb {
  const shape = new Pb();
  for (const d of v.shape) shape.msg(1, typeof d === 'number' ? new Pb().int(1, d) : new Pb().str(2, d));
  const tensorType = new Pb().int(1, v.type).msg(2, shape);
  return new Pb().str(1, v.name).msg(2, new Pb().msg(1, tensorType));
}

function tensor(t: TensorInit): Pb {
  const p = new Pb();
  for (const d of t.dims) p.int(1, d);
  p.int(2, t.type);
  p.str(8, t.name);
  const raw = t.type === FLOAT ? new Uint8Array(Float32Array.from(t.values).buffer) : new Uint8Array(BigInt64Array.from(t.values.map((v) => BigInt(v))).buffer);
  p.bytes(9, raw);
  return p;
}

function node(n: NodeSpec, i: number): Pb {
  const p = new Pb();
  for (const x of n.inputs) p.str(1, x);
  for (const x of n.outputs) p.str(2, x);
  p.str(3, `${n.op}_${i}`);
  p.str(4, n.op);
  for (const [name, a] of Object.entries(n.attrs ?? {})) {
    const attr = new Pb().str(1, name);
    if ('i' in a) attr.int(3, a.i).int(20, 2);
    else if ('f' in a) attr.float(2, a.f).int(20, 1);
    else {
      for (const v of a.ints) attr.int(8, v);
      attr.int(20, 7);
    }
    p.msg(5, attr);
  }
  return p;
}

/** Serialize a graph as an ONNX model (IR 8, default opset 17). */
export function buildModel(g: GraphSpec): Uint8Array {
  const graph = new Pb();
  g.nodes.forEach((n, i) => graph.msg(1, node(n, i)));
  graph.str(2, g.name);
  for (const t of g.initializers) graph.msg(5, tensor(t));
  for (const v of g.inputs) graph.msg(11, valueInfo(v));
  for (const v of g.outputs) graph.msg(12, valueInfo(v));
  return new Pb()
    .int(1, 8)
    .str(2, 'shotline-tests')
    .msg(7, graph)
    .msg(8, new Pb().str(1, '').int(2, g.opset ?? 17))
    .done();
}

/** y = x + 1 on float32 [n]: the smallest useful model (provider probing). */
export function probeModel(): Uint8Array {
  return buildModel({
    name: 'probe',
    inputs: [{ name: 'x', type: FLOAT, shape: ['n'] }],
    outputs: [{ name: 'y', type: FLOAT, shape: ['n'] }],
    initializers: [{ name: 'one', type: FLOAT, dims: [], values: [1] }],
    nodes: [{ op: 'Add', inputs: ['x', 'one'], outputs: ['y'] }],
  });
}
