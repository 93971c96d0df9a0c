import { DistributedMissingError } from "../errors.js";

/**
 * `@lp/bullmq`, loaded only when a command asks for a distributed run: it is an optional
 * peer, so a single-machine install never pulls Redis clients in.
 * @throws DistributedMissingError when it is not installed
 */
export async function loadDistributed(command: string): Promise<typeof import("@lp/bullmq")> {
  try {
    return await import("@lp/bullmq");
  } catch (error) {
    throw new DistributedMissingError(command, error);
  }
}
