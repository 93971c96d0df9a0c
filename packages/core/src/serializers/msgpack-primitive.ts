// A result that is one number, string, boolean, null or undefined is packed and read here,
// byte for byte as msgpackr writes it with the default's options, so that a run of tasks
// returning small values never loads msgpackr, and either side reads the other's bodies.

// String.prototype.isWellFormed (Node 20) is newer than the ES lib the packages compile against.
const isWellFormed = (String.prototype as unknown as { isWellFormed: (this: string) => boolean }).isWellFormed;

// Each body owns its memory (no slice of Buffer's shared pool), as msgpackr's small results do.
function header(bytes: number[]): Buffer {
  const b = Buffer.allocUnsafeSlow(bytes.length);
  b.set(bytes);
  return b;
}

function packNumber(v: number): Buffer | undefined {
  if (v >>> 0 === v) {
    if (Object.is(v, -0)) return undefined;
    // 0x40–0x7f are record references when records are on: msgpackr writes those as uint8.
    if (v < 0x40) return header([v]);
    if (v < 0x100) return header([0xcc, v]);
    if (v < 0x10000) return header([0xcd, v >> 8, v & 0xff]);
    const b = Buffer.allocUnsafeSlow(5);
    b[0] = 0xce;
    b.writeUInt32BE(v, 1);
    return b;
  }
  if (v >> 0 === v) {
    if (v >= -0x20) return header([0x100 + v]);
    if (v >= -0x80) return header([0xd0, v + 0x100]);
    const b = Buffer.allocUnsafeSlow(v >= -0x8000 ? 3 : 5);
    b[0] = v >= -0x8000 ? 0xd1 : 0xd2;
    if (v >= -0x8000) b.writeInt16BE(v, 1);
    else b.writeInt32BE(v, 1);
    return b;
  }
  const b = Buffer.allocUnsafeSlow(9);
  b[0] = 0xcb;
  b.writeDoubleBE(v, 1);
  return b;
}

function packString(v: string): Buffer | undefined {
  if (!isWellFormed.call(v)) return undefined;
  const length = Buffer.byteLength(v, "utf8");
  const head = length < 0x20 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
  const b = Buffer.allocUnsafeSlow(head + length);
  if (head === 1) b[0] = 0xa0 | length;
  else if (head === 2) (b[0] = 0xd9), (b[1] = length);
  else if (head === 3) (b[0] = 0xda), b.writeUInt16BE(length, 1);
  else (b[0] = 0xdb), b.writeUInt32BE(length, 1);
  b.write(v, head, "utf8");
  return b;
}

/**
 * The MessagePack body of a primitive, or `undefined` when msgpackr must pack it (a
 * BigInt) or MessagePack would change it (-0, a string with lone surrogates).
 */
export function packPrimitive(value: unknown): Buffer | undefined {
  switch (typeof value) {
    case "number":
      return packNumber(value);
    case "string":
      return packString(value);
    case "boolean":
      return header([value ? 0xc3 : 0xc2]);
    case "undefined":
      return header([0xd4, 0, 0]);
    case "object":
      return value === null ? header([0xc0]) : undefined;
    default:
      return undefined;
  }
}

/** What a whole body holding one primitive packed as above reads back as; `undefined` when it is something else. */
export function unpackPrimitive(bytes: Uint8Array): { value: unknown } | undefined {
  const n = bytes.byteLength;
  if (n === 0) return undefined;
  const first = bytes[0]!;
  if (n === 1) {
    if (first < 0x40) return { value: first };
    if (first >= 0xe0) return { value: first - 0x100 };
    if (first === 0xc0) return { value: null };
    if (first === 0xc2 || first === 0xc3) return { value: first === 0xc3 };
    if (first === 0xa0) return { value: "" };
    return undefined;
  }
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, n);
  const stringAt = (head: number, length: number) => (n === head + length ? { value: b.toString("utf8", head, n) } : undefined);
  if (first >= 0xa0 && first < 0xc0) return stringAt(1, first & 0x1f);
  switch (first) {
    case 0xcc:
      return n === 2 ? { value: b[1] } : undefined;
    case 0xcd:
      return n === 3 ? { value: b.readUInt16BE(1) } : undefined;
    case 0xce:
      return n === 5 ? { value: b.readUInt32BE(1) } : undefined;
    case 0xd0:
      return n === 2 ? { value: b.readInt8(1) } : undefined;
    case 0xd1:
      return n === 3 ? { value: b.readInt16BE(1) } : undefined;
    case 0xd2:
      return n === 5 ? { value: b.readInt32BE(1) } : undefined;
    case 0xcb:
      return n === 9 ? { value: b.readDoubleBE(1) } : undefined;
    case 0xd4:
      return n === 3 && b[1] === 0 && b[2] === 0 ? { value: undefined } : undefined;
    case 0xd9:
      return stringAt(2, b[1]!);
    case 0xda:
      return n >= 3 ? stringAt(3, b.readUInt16BE(1)) : undefined;
    case 0xdb:
      return n >= 5 ? stringAt(5, b.readUInt32BE(1)) : undefined;
    default:
      return undefined;
  }
}
