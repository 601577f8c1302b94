/**
 * The smallest protocol-buffer codec that lets the OCR models be rewritten at load time
 * (fuse-graph.ts): a message is a list of fields kept as they were read, so a message that is not
 * changed is written back byte for byte.
 */

export type WireValue = bigint | Buffer;

export interface PbField {
  field: number;
  /** 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit. */
  wire: 0 | 1 | 2 | 5;
  value: WireValue;
}

/** A varint at `buf[at.i]`; advances `at.i` past it. */
function readVarint(buf: Buffer, at: { i: number }): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (at.i >= buf.length) throw new Error('protobuf: truncated varint');
    const b = buf[at.i++]!;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
  }
}

/** The values of a packed repeated integer field (int64 as signed numbers). */
export function decodePackedInts(buf: Buffer): number[] {
  const at = { i: 0 };
  const out: number[] = [];
  while (at.i < buf.length) out.push(Number(BigInt.asIntN(64, readVarint(buf, at))));
  return out;
}

export function decodeMessage(buf: Buffer): PbField[] {
  const out: PbField[] = [];
  const at = { i: 0 };
  const varint = () => readVarint(buf, at);
  while (at.i < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const n = Number(varint());
      if (at.i + n > buf.length) throw new Error('protobuf: truncated field');
      out.push({ field, wire, value: buf.subarray(at.i, at.i + n) });
      at.i += n;
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (at.i + n > buf.length) throw new Error('protobuf: truncated field');
      out.push({ field, wire, value: buf.subarray(at.i, at.i + n) });
      at.i += n;
    } else throw new Error(`protobuf: unsupported wire type ${wire}`);
  }
  return out;
}

function encodeVarint(v: bigint, out: number[]): void {
  let x = BigInt.asUintN(64, v);
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
}

export function encodeMessage(fields: readonly PbField[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of fields) {
    const head: number[] = [];
    encodeVarint(BigInt((f.field << 3) | f.wire), head);
    if (f.wire === 0) {
      encodeVarint(f.value as bigint, head);
      parts.push(Buffer.from(head));
    } else {
      const body = f.value as Buffer;
      if (f.wire === 2) encodeVarint(BigInt(body.length), head);
      parts.push(Buffer.from(head), body);
    }
  }
  return Buffer.concat(parts);
}

/** Helpers for the common field shapes. */
export const pb = {
  str: (field: number, s: string): PbField => ({ field, wire: 2, value: Buffer.from(s, 'utf8') }),
  bytes: (field: number, b: Buffer): PbField => ({ field, wire: 2, value: b }),
  int: (field: number, v: number | bigint): PbField => ({ field, wire: 0, value: BigInt(v) }),
  float: (field: number, v: number): PbField => {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v, 0);
    return { field, wire: 5, value: b };
  },
  strings: (fields: readonly PbField[], field: number): string[] => fields.filter((f) => f.field === field).map((f) => (f.value as Buffer).toString('utf8')),
};
