import { it } from "vitest";
import { MemoryStore } from "../src/index.js";
import { storeConformance } from "../src/conformance.js";

storeConformance(it, { create: () => new MemoryStore() });
