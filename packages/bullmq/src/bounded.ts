/**
 * Waits for `work` at most `ms`, then goes on without it (a rejection is swallowed too).
 * BullMQ's connections queue commands while Redis is away and never fail them, so a
 * clean-up step on a lost Redis would otherwise wait for ever.
 */
export async function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work.then(() => {}, () => {}), late]);
  } finally {
    clearTimeout(timer);
  }
}
