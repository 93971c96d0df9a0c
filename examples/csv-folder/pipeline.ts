/**
 * A folder of CSV files: `Clean` is mapped over `data/*.csv`, one cached branch per file,
 * and `Summary` adds the cleaned files up. A second run does nothing; after one file
 * changes, only that file is cleaned again.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { Pipeline, inputFiles, task } from "little-pipelines";
import { cleanCsv } from "./csv.js";

/** Where `data/` is; `CSV_FOLDER_DIR` points elsewhere (the test uses a scratch folder). */
export const folder = process.env.CSV_FOLDER_DIR || import.meta.dirname;

export const clean = task("Clean", {
  description: "Cleans one CSV file: drops rows without a region or an amount",
  map: inputFiles("data/*.csv"),
  async run() {
    this.logger.info(`cleaning ${basename(this.item)}`);
    return cleanCsv(basename(this.item), await readFile(this.item, "utf8"));
  },
});

export const summary = task("Summary", {
  description: "Adds the cleaned files up",
  dependencies: [clean],
  async run() {
    const files = await this.result(clean);
    const cents = files.reduce((n, f) => n + f.cents, 0);
    return {
      files: files.length,
      rows: files.reduce((n, f) => n + f.rows, 0),
      dropped: files.reduce((n, f) => n + f.dropped, 0),
      total: cents / 100,
    };
  },
});

export const pipeline = new Pipeline("CsvFolder", { cwd: folder }).add(clean, summary);
export default pipeline;
