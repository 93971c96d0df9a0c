import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { PKG } from "./processes.js";

const ESCAPES = /\u001b\[[0-9;?]*[A-Za-z]|\r/g;

/**
 * A command running on a real pseudo-terminal, made by util-linux `script`: the child
 * sees a TTY on stdin and stdout, so readline runs in terminal mode (raw keys, Tab,
 * Ctrl-C as a key). What is written here arrives as typed keys.
 */
export class Pty {
  readonly #child: ChildProcessWithoutNullStreams;
  #raw = "";
  #listeners = new Set<() => void>();
  readonly exited: Promise<number | null>;

  constructor(command: string, env: NodeJS.ProcessEnv) {
    this.#child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: PKG, env, stdio: ["pipe", "pipe", "pipe"] });
    this.#child.stdout.setEncoding("utf8").on("data", (d: string) => {
      this.#raw += d;
      for (const l of this.#listeners) l();
    });
    this.exited = new Promise((resolve) => this.#child.on("close", resolve));
  }

  /** Everything written so far, escapes included. */
  get raw(): string {
    return this.#raw;
  }

  /** Everything shown so far, without cursor and colour escapes. */
  get text(): string {
    return this.#raw.replace(ESCAPES, "");
  }

  /** Types keys. */
  type(keys: string): void {
    this.#child.stdin.write(keys);
  }

  /**
   * Resolves once the screen text after `from` matches `pattern`; rejects, showing the
   * text, if it has not after `limitMs` (a guard against a hung test, not a timing check).
   */
  waitFor(pattern: RegExp, from = 0, limitMs = 20_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const text = this.text.slice(from);
        if (pattern.test(text)) {
          this.#listeners.delete(check);
          clearTimeout(timer);
          resolve(text);
        }
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`Timed out waiting for ${pattern}. Screen so far:\n${this.text}`));
      }, limitMs);
      this.#listeners.add(check);
      check();
    });
  }

  kill(): void {
    this.#child.kill("SIGKILL");
  }
}
