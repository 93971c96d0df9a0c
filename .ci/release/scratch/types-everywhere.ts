// Every package's published declarations, checked under node10 without esModuleInterop.
import type { Pipeline, RunSummary } from "little-pipelines";
import type { LpError, ResultStore } from "@lp/core";
import type { storeConformance } from "@lp/core/conformance";
import type { CacacheStore } from "@lp/cache";
import type { expire } from "@lp/expiry";
import type { createLogger } from "@lp/logging";
import type { Shell } from "@lp/shell";

export type Everything = [
  Pipeline,
  RunSummary,
  LpError,
  ResultStore,
  typeof storeConformance,
  CacacheStore,
  typeof expire,
  typeof createLogger,
  Shell,
];
