#!/usr/bin/env node
// The command line as a script of this package, for its tests. The installed `lp` bin
// (with its aliases) is declared once, by the little-pipelines package.
import { lpMain } from "./index.js";

void lpMain(process.argv.slice(2));
