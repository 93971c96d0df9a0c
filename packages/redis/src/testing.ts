/**
 * @lp/redis/testing: a throwaway `redis-server` for tests — a free local port, nothing
 * saved to disk, stopped (with every key) by `stop()`.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { LpError } from "@lp/core";
import { connect } from "./connection.js";

/** A running test server. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stops the server and waits for its process to exit. */
  stop(): Promise<void>;
}

/** Whether `redis-server` is on the PATH (tests that need it skip without it). */
export function hasRedisServer(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A port no one listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `redis-server --port N --bind 127.0.0.1 --save "" --appendonly no` and waits
 * until it answers.
 * @throws LpError (`LP_REDIS_TEST_SERVER`) when it does not start
 */
export async function startRedisServer(): Promise<TestRedis> {
  for (let tries = 1; ; tries++) {
    const port = await freePort();
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const url = `redis://127.0.0.1:${port}`;
    try {
      await answers(url, child);
      return { url, port, stop: () => stop(child, exited) };
    } catch (error) {
      await stop(child, exited);
      // Another process took the port between the probe and the start: pick another.
      if (tries >= 3) throw new LpError("LP_REDIS_TEST_SERVER", `redis-server did not start on port ${port}: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** Waits (up to 20 s on a loaded machine) until the server answers a PING. */
async function answers(url: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      const client = await connect(url);
      client.disconnect();
      return;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await exited;
}
