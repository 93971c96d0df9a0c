import { createRequire } from "node:module";
import type * as Msgpackr from "msgpackr";

let Packr: typeof Msgpackr.Packr | undefined;

/**
 * A packer with the default serializer's options. msgpackr (with its native string reader)
 * is loaded on first use, not at import: it is a good part of start-up, and a run whose
 * results are all small primitives never needs it.
 * @param sequential - record structures carry over from one `pack` to the next, as within
 *   one `pack` (see msgpack-slices.ts); only for a packer used for one body
 */
export function newPackr(sequential = false): Msgpackr.Packr {
  Packr ??= (createRequire(import.meta.url)("msgpackr") as typeof Msgpackr).Packr;
  // Records: the keys of each object shape are written once, not once per object. Maps stay
  // Maps, typed arrays keep their type, every BigInt comes back a BigInt. Buffers inside a
  // value are copied out when read, so that no reader shares memory with the stored bytes.
  return new Packr({
    useRecords: true,
    mapsAsObjects: false,
    moreTypes: true,
    int64AsType: "bigint",
    useBigIntExtension: true,
    copyBuffers: true,
    ...(sequential ? { sequential: true } : {}),
  });
}
