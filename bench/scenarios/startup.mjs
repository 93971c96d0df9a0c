// Node's start-up plus loading the built packages: the floor under every whole-process figure.
import { CacacheStore, Pipeline } from "../lib/packages.mjs";
import { report } from "../lib/report.mjs";

report({ loaded: typeof Pipeline === "function" && typeof CacacheStore === "function" });
