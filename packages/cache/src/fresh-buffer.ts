import { open } from "node:fs/promises";

/** A new buffer whose pieces are touched on libuv's threads before they are written to. */
export interface FreshBuffer {
  buffer: Buffer;
  /** Resolves once piece `index` has been touched (or touching has stopped): it may be written then. */
  ready(index: number): Promise<void>;
  /** Touches no more pieces; resolves once none is being touched. */
  stop(): Promise<void>;
}

/**
 * A buffer of `size` bytes for a big copy, its pages touched ahead of the copy, piece by
 * piece: fresh memory takes a page fault per 4 KiB page on its first touch, which for a
 * 100 MB copy costs about as much as the copying itself. Zeros read from `/dev/zero` into
 * each piece take those faults on libuv's threads, off the thread that copies. Where there
 * is no `/dev/zero`, or a read fails, the copy takes the faults itself, as it would anyway.
 */
export async function freshBuffer(size: number, piece: number): Promise<FreshBuffer> {
  const buffer = Buffer.allocUnsafeSlow(size);
  const zero = await open("/dev/zero", "r").catch(() => undefined);
  let stopped = zero === undefined;
  const touch = async (from: number, to: number) => {
    if (stopped) return;
    try {
      for (let done = from; done < to; ) {
        const { bytesRead } = await zero!.read(buffer, done, to - done, null);
        if (bytesRead === 0) return void (stopped = true);
        done += bytesRead;
      }
    } catch {
      stopped = true;
    }
  };
  // One piece at a time, in order: each is ready once its own read has ended.
  const ready: Promise<void>[] = [];
  let last: Promise<void> = Promise.resolve();
  for (let from = 0; from < size; from += piece) {
    const to = Math.min(from + piece, size);
    last = last.then(() => touch(from, to));
    ready.push(last);
  }
  const closed = last.then(() => zero?.close()).catch(() => {});
  return {
    buffer,
    ready: (index) => ready[index] ?? closed,
    stop() {
      stopped = true;
      return closed;
    },
  };
}
