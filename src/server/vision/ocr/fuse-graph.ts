/**
 * Load-time rewrite of the PaddleOCR ONNX graphs into the same function with fewer whole-tensor
 * passes. The PP-LCNetV3 backbones were exported (paddle2onnx) with every hard-swish as four
 * element-wise nodes (Add 3 → Clip 0..6 → Mul x → Div 6) and every convolution followed by a
 * "learnable affine block" (Mul by a scalar, Add a scalar), before and after the activation.
 * onnxruntime fuses none of these, and on the CPU they cost a third of the detector's and
 * recogniser's time (element-wise passes over full feature maps). Three exact rewrites, each a
 * pattern with a single consumer at every step:
 *
 * 1. hard-swish: Add(x, 3) → Clip(0, 6) → Mul(x, ·) → Div(6)  ⇒  Mul(x, HardSigmoid(x; 1/6, 0.5)).
 *    HardSigmoid(x) = clip(x/6 + 1/2, 0, 1) = clip(x + 3, 0, 6)/6, available since opset 6.
 * 2. affine after a convolution: Conv(W, B) → Mul(a) / Add(b)  ⇒  Conv(aW, aB) / Conv(W, B + b).
 * 3. affine before a 1×1 convolution without padding: Mul(a) / Add(b) → Conv(W, B)  ⇒
 *    Conv(aW, B) / Conv(W, B + b·ΣW). Exact only without padding (padded zeros are not b), so
 *    3×3 depthwise convolutions keep the affine before them.
 *
 * The numbers change by float rounding only (test/vision/ocr-fuse-graph.test.ts compares the
 * rewritten and original models on real text). Only constants held in `Constant` nodes are
 * folded (how paddle2onnx writes weights); anything else is left as it is.
 */
import { decodeMessage, decodePackedInts, encodeMessage, pb, type PbField } from './protobuf.js';

// ONNX protobuf field numbers (onnx.proto3).
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_OUTPUT = 12;
const VALUE_INFO_NAME = 1;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_OP = 4;
const NODE_ATTR = 5;
const NODE_DOMAIN = 7;
const ATTR_NAME = 1;
const ATTR_F = 2;
const ATTR_S = 4;
const ATTR_T = 5;
const ATTR_INTS = 8;
const ATTR_TYPE = 20;
const ATTR_TYPE_FLOAT = 1;
const ATTR_TYPE_TENSOR = 4;
const TENSOR_DIMS = 1;
const TENSOR_TYPE = 2;
const TENSOR_FLOAT_DATA = 4;
const TENSOR_RAW = 9;
const TENSOR_FLOAT = 1;

interface Attr {
  name: string;
  fields: PbField[];
}

interface Node {
  op: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Attr[];
  /** Fields other than inputs, outputs, op type, domain and attributes (name, doc string). */
  rest: PbField[];
}

interface Tensor {
  dims: number[];
  data: Float32Array;
}

export interface FuseReport {
  hardSwish: number;
  affineIntoConv: number;
  affineIntoNextConv: number;
  nodesBefore: number;
  nodesAfter: number;
}

/** Rewrite an ONNX model (bytes) as described above; returns the new bytes and what was done. */
export function fuseOcrGraph(model: Uint8Array): { model: Uint8Array; report: FuseReport } {
  const modelFields = decodeMessage(Buffer.from(model.buffer, model.byteOffset, model.byteLength));
  const graphIndex = modelFields.findIndex((f) => f.field === MODEL_GRAPH);
  if (graphIndex < 0) throw new Error('ONNX model without a graph');
  const graphFields = decodeMessage(modelFields[graphIndex]!.value as Buffer);
  const nodes = graphFields.filter((f) => f.field === GRAPH_NODE).map((f) => parseNode(f.value as Buffer));
  const graphOutputs = new Set(graphFields.filter((f) => f.field === GRAPH_OUTPUT).map((f) => pb.strings(decodeMessage(f.value as Buffer), VALUE_INFO_NAME)[0]!));
  const g = new Graph(nodes, graphOutputs);
  const report: FuseReport = { hardSwish: 0, affineIntoConv: 0, affineIntoNextConv: 0, nodesBefore: nodes.length, nodesAfter: 0 };
  report.hardSwish = g.rewriteAll((i) => g.fuseHardSwish(i));
  report.affineIntoConv = g.rewriteAll((i) => g.foldAffineIntoConv(i));
  report.affineIntoNextConv = g.rewriteAll((i) => g.foldAffineIntoNextConv(i));
  g.dropUnusedConstants();
  report.nodesAfter = g.nodes.length;

  const newGraph: PbField[] = [];
  let nodesWritten = false;
  for (const f of graphFields) {
    if (f.field !== GRAPH_NODE) newGraph.push(f);
    else if (!nodesWritten) {
      nodesWritten = true;
      for (const n of g.nodes) newGraph.push(pb.bytes(GRAPH_NODE, encodeNode(n)));
    }
  }
  const out = modelFields.map((f, i) => (i === graphIndex ? pb.bytes(MODEL_GRAPH, encodeMessage(newGraph)) : f));
  return { model: new Uint8Array(encodeMessage(out)), report };
}

class Graph {
  private producer = new Map<string, number>();
  private consumers = new Map<string, number[]>();
  private fresh = 0;

  constructor(
    public nodes: Node[],
    private readonly graphOutputs: ReadonlySet<string>,
  ) {
    this.index();
  }

  private index(): void {
    this.producer.clear();
    this.consumers.clear();
    this.nodes.forEach((n, i) => {
      for (const o of n.outputs) this.producer.set(o, i);
      for (const x of n.inputs) {
        if (x === '') continue;
        const list = this.consumers.get(x);
        if (list) list.push(i);
        else this.consumers.set(x, [i]);
      }
    });
  }

  /** Apply `rewrite` at every node until none applies; returns how many times it did. */
  rewriteAll(rewrite: (i: number) => boolean): number {
    let count = 0;
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = 0; i < this.nodes.length; i++) {
        if (rewrite(i)) {
          count++;
          changed = true;
          this.index();
        }
      }
    }
    return count;
  }

  /** The single node reading `name` (and no graph output), or null. */
  private soleConsumer(name: string): { node: Node; index: number } | null {
    if (this.graphOutputs.has(name)) return null;
    const c = this.consumers.get(name) ?? [];
    return c.length === 1 ? { node: this.nodes[c[0]!]!, index: c[0]! } : null;
  }

  private constant(name: string): Tensor | null {
    const i = this.producer.get(name);
    if (i === undefined) return null;
    const n = this.nodes[i]!;
    if (n.op !== 'Constant' || n.domain !== '') return null;
    const value = n.attrs.find((a) => a.name === 'value');
    const t = value?.fields.find((f) => f.field === ATTR_T);
    return t ? readTensor(t.value as Buffer) : null;
  }

  private scalar(name: string): number | null {
    const t = this.constant(name);
    return t && t.data.length === 1 ? t.data[0]! : null;
  }

  /** The scalar constant among a binary node's inputs and the other input. */
  private scalarOperand(n: Node): { value: number; other: string } | null {
    if (n.inputs.length !== 2) return null;
    for (const k of [0, 1]) {
      const v = this.scalar(n.inputs[k]!);
      if (v !== null && this.scalar(n.inputs[1 - k]!) === null) return { value: v, other: n.inputs[1 - k]! };
    }
    return null;
  }

  /** A Constant used by one node only, so it can be rewritten in place. */
  private ownedConstant(name: string): Tensor | null {
    return (this.consumers.get(name) ?? []).length === 1 && !this.graphOutputs.has(name) ? this.constant(name) : null;
  }

  private setConstant(name: string, t: Tensor): void {
    const i = this.producer.get(name)!;
    this.nodes[i] = constantNode(name, t);
  }

  private freshName(base: string): string {
    return `${base}__fused${this.fresh++}`;
  }

  fuseHardSwish(i: number): boolean {
    const add = this.nodes[i]!;
    if (add.op !== 'Add' || add.domain !== '') return false;
    const three = this.scalarOperand(add);
    if (!three || three.value !== 3) return false;
    const x = three.other;
    const clip = this.soleConsumer(add.outputs[0]!)?.node;
    if (!clip || clip.op !== 'Clip' || clip.inputs[0] !== add.outputs[0]) return false;
    const lo = clip.inputs.length > 1 ? this.scalar(clip.inputs[1]!) : attrFloat(clip, 'min');
    const hi = clip.inputs.length > 2 ? this.scalar(clip.inputs[2]!) : attrFloat(clip, 'max');
    if (lo !== 0 || hi !== 6) return false;
    const mul = this.soleConsumer(clip.outputs[0]!)?.node;
    if (!mul || mul.op !== 'Mul' || mul.inputs.length !== 2 || !mul.inputs.includes(x) || !mul.inputs.includes(clip.outputs[0]!)) return false;
    const div = this.soleConsumer(mul.outputs[0]!)?.node;
    if (!div || div.op !== 'Div' || div.inputs[0] !== mul.outputs[0] || this.scalar(div.inputs[1]!) !== 6) return false;
    const gate = this.freshName(div.outputs[0]!);
    const hardSigmoid: Node = {
      op: 'HardSigmoid',
      domain: '',
      inputs: [x],
      outputs: [gate],
      attrs: [floatAttr('alpha', 1 / 6), floatAttr('beta', 0.5)],
      rest: [],
    };
    const product: Node = { op: 'Mul', domain: '', inputs: [x, gate], outputs: [div.outputs[0]!], attrs: [], rest: [] };
    // HardSigmoid where the Add was (x is ready there), the product where the Div was.
    const divIndex = this.nodes.indexOf(div);
    this.nodes[divIndex] = product;
    this.nodes[i] = hardSigmoid;
    this.nodes = this.nodes.filter((n) => n !== clip && n !== mul);
    return true;
  }

  foldAffineIntoConv(i: number): boolean {
    const conv = this.nodes[i]!;
    if (conv.op !== 'Conv' || conv.domain !== '') return false;
    const next = this.soleConsumer(conv.outputs[0]!)?.node;
    if (!next || (next.op !== 'Mul' && next.op !== 'Add') || next.domain !== '') return false;
    const k = this.scalarOperand(next);
    if (!k || k.other !== conv.outputs[0]) return false;
    const w = this.ownedConstant(conv.inputs[1]!);
    if (!w || w.dims.length !== 4) return false;
    const outChannels = w.dims[0]!;
    const biasName = conv.inputs[2];
    const bias = biasName ? this.ownedConstant(biasName) : null;
    if (biasName && (!bias || bias.data.length !== outChannels)) return false;
    const b = bias ? Float32Array.from(bias.data) : new Float32Array(outChannels);
    if (next.op === 'Mul') {
      this.setConstant(conv.inputs[1]!, { dims: w.dims, data: w.data.map((v) => v * k.value) });
      for (let o = 0; o < outChannels; o++) b[o] = b[o]! * k.value;
    } else {
      for (let o = 0; o < outChannels; o++) b[o] = b[o]! + k.value;
    }
    this.replaceBias(i, conv, b);
    conv.outputs = [next.outputs[0]!];
    this.nodes = this.nodes.filter((n) => n !== next);
    return true;
  }

  foldAffineIntoNextConv(i: number): boolean {
    const op = this.nodes[i]!;
    if ((op.op !== 'Mul' && op.op !== 'Add') || op.domain !== '') return false;
    const k = this.scalarOperand(op);
    if (!k) return false;
    const next = this.soleConsumer(op.outputs[0]!);
    if (!next) return false;
    const conv = next.node;
    if (conv.op !== 'Conv' || conv.domain !== '' || conv.inputs[0] !== op.outputs[0]) return false;
    if (!isUnpadded1x1(conv)) return false;
    const w = this.ownedConstant(conv.inputs[1]!);
    if (!w || w.dims.length !== 4 || w.dims[2] !== 1 || w.dims[3] !== 1) return false;
    const [outChannels, inPerGroup] = [w.dims[0]!, w.dims[1]!];
    const biasName = conv.inputs[2];
    const bias = biasName ? this.ownedConstant(biasName) : null;
    if (biasName && (!bias || bias.data.length !== outChannels)) return false;
    if (op.op === 'Mul') {
      this.setConstant(conv.inputs[1]!, { dims: w.dims, data: w.data.map((v) => v * k.value) });
    } else {
      const b = bias ? Float32Array.from(bias.data) : new Float32Array(outChannels);
      for (let o = 0; o < outChannels; o++) {
        let sum = 0;
        for (let c = 0; c < inPerGroup; c++) sum += w.data[o * inPerGroup + c]!;
        b[o] = b[o]! + k.value * sum;
      }
      this.replaceBias(next.index, conv, b);
    }
    conv.inputs = [k.other, ...conv.inputs.slice(1)];
    this.nodes = this.nodes.filter((n) => n !== op);
    return true;
  }

  private replaceBias(convIndex: number, conv: Node, b: Float32Array): void {
    const name = conv.inputs[2];
    if (name) {
      this.setConstant(name, { dims: [b.length], data: b });
      return;
    }
    const fresh = this.freshName(`${conv.outputs[0]}_bias`);
    conv.inputs = [conv.inputs[0]!, conv.inputs[1]!, fresh];
    this.nodes.splice(convIndex, 0, constantNode(fresh, { dims: [b.length], data: b }));
  }

  dropUnusedConstants(): void {
    this.index();
    this.nodes = this.nodes.filter((n) => n.op !== 'Constant' || n.outputs.some((o) => this.consumers.has(o) || this.graphOutputs.has(o)));
  }
}

function isUnpadded1x1(conv: Node): boolean {
  const autoPad = conv.attrs.find((a) => a.name === 'auto_pad')?.fields.find((f) => f.field === ATTR_S);
  if (autoPad && !['NOTSET', 'VALID'].includes((autoPad.value as Buffer).toString())) return false;
  const pads = attrInts(conv, 'pads');
  const kernel = attrInts(conv, 'kernel_shape');
  return (!pads || pads.every((p) => p === 0)) && (!kernel || kernel.every((k) => k === 1));
}

function parseNode(buf: Buffer): Node {
  const fields = decodeMessage(buf);
  const node: Node = { op: '', domain: '', inputs: [], outputs: [], attrs: [], rest: [] };
  for (const f of fields) {
    if (f.field === NODE_INPUT) node.inputs.push((f.value as Buffer).toString('utf8'));
    else if (f.field === NODE_OUTPUT) node.outputs.push((f.value as Buffer).toString('utf8'));
    else if (f.field === NODE_OP) node.op = (f.value as Buffer).toString('utf8');
    else if (f.field === NODE_DOMAIN) node.domain = (f.value as Buffer).toString('utf8');
    else if (f.field === NODE_ATTR) {
      const a = decodeMessage(f.value as Buffer);
      node.attrs.push({ name: pb.strings(a, ATTR_NAME)[0] ?? '', fields: a });
    } else node.rest.push(f); // name, doc string
  }
  return node;
}

function encodeNode(n: Node): Buffer {
  return encodeMessage([
    ...n.inputs.map((x) => pb.str(NODE_INPUT, x)),
    ...n.outputs.map((x) => pb.str(NODE_OUTPUT, x)),
    pb.str(NODE_OP, n.op),
    ...n.attrs.map((a) => pb.bytes(NODE_ATTR, encodeMessage(a.fields))),
    ...(n.domain ? [pb.str(NODE_DOMAIN, n.domain)] : []),
    ...n.rest,
  ]);
}

function attrFloat(n: Node, name: string): number | null {
  const f = n.attrs.find((a) => a.name === name)?.fields.find((x) => x.field === ATTR_F);
  return f ? (f.value as Buffer).readFloatLE(0) : null;
}

function attrInts(n: Node, name: string): number[] | null {
  const a = n.attrs.find((x) => x.name === name);
  if (!a) return null;
  const out: number[] = [];
  for (const f of a.fields) {
    if (f.field !== ATTR_INTS) continue;
    if (f.wire === 0) out.push(Number(BigInt.asIntN(64, f.value as bigint)));
    else for (const v of decodePackedInts(f.value as Buffer)) out.push(v);
  }
  return out;
}

function floatAttr(name: string, v: number): Attr {
  return { name, fields: [pb.str(ATTR_NAME, name), pb.float(ATTR_F, v), pb.int(ATTR_TYPE, ATTR_TYPE_FLOAT)] };
}

function readTensor(buf: Buffer): Tensor | null {
  const f = decodeMessage(buf);
  const type = f.find((x) => x.field === TENSOR_TYPE);
  if (!type || Number(type.value) !== TENSOR_FLOAT) return null;
  const dims: number[] = [];
  for (const d of f.filter((x) => x.field === TENSOR_DIMS)) {
    if (d.wire === 0) dims.push(Number(d.value));
    else dims.push(...decodePackedInts(d.value as Buffer));
  }
  const raw = f.find((x) => x.field === TENSOR_RAW);
  let data: Float32Array;
  if (raw) {
    const b = raw.value as Buffer;
    // Copy into an aligned buffer (little-endian host, as onnxruntime-node requires anyway).
    data = new Float32Array(Uint8Array.from(b).buffer, 0, Math.floor(b.length / 4));
  } else {
    const values: number[] = [];
    for (const x of f.filter((y) => y.field === TENSOR_FLOAT_DATA)) {
      const b = x.value as Buffer;
      for (let i = 0; i + 4 <= b.length; i += 4) values.push(b.readFloatLE(i));
    }
    data = Float32Array.from(values);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  return data.length === count ? { dims, data } : null;
}

function constantNode(name: string, t: Tensor): Node {
  const raw = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const tensor = encodeMessage([...t.dims.map((d) => pb.int(TENSOR_DIMS, d)), pb.int(TENSOR_TYPE, TENSOR_FLOAT), pb.bytes(TENSOR_RAW, raw)]);
  return {
    op: 'Constant',
    domain: '',
    inputs: [],
    outputs: [name],
    attrs: [{ name: 'value', fields: [pb.str(ATTR_NAME, 'value'), pb.bytes(ATTR_T, tensor), pb.int(ATTR_TYPE, ATTR_TYPE_TENSOR)] }],
    rest: [],
  };
}
