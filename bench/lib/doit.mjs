// The same no-op workloads through pydoit (Debian's python3-doit), the peer in the peers table:
// a dodo.py of N python-action tasks, a chain (each `task_dep` on the one before) or a fan-out.
// doit keeps its state in one dbm file; "cold" runs on a fresh one, "warm" on the last one.
// "empty" lists the tasks of a one-task dodo.py: doit's start-up.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes the dodo.py for a workload into `dir` (once) and returns doit's arguments. */
export function doitArgs(shape, n, dir) {
  const dodo = join(dir, "dodo.py");
  if (!existsSync(dodo)) {
    // A python-action task with no file deps always runs; `config_changed` records a value on
    // the first run, so that a warm run skips every task, as our cached tasks are skipped.
    const body =
      shape === "empty"
        ? "def task_none():\n    return {'actions': None, 'uptodate': [True]}\n"
        : `from doit.tools import config_changed
N = ${n}
def noop(i):
    return {'i': i}
def task_t():
    for i in range(N):
        dep = [] if i == 0 else ['t:t%d' % (i - 1)] if '${shape}' == 'chain' else ['t:t0']
        yield {'name': 't%d' % i, 'actions': [(noop, [i])], 'task_dep': dep, 'uptodate': [config_changed(str(i))], 'verbosity': 0}
`;
    writeFileSync(dodo, body);
  }
  const args = ["-f", dodo, "--db-file", join(dir, ".doit.db"), "--backend", "dbm"];
  return shape === "empty" ? ["list", ...args] : args;
}
