import { readFile } from "node:fs/promises";
import type { Options } from "tsup";

type Plugin = NonNullable<Options["esbuildPlugins"]>[number];
type TsupPlugin = NonNullable<Options["plugins"]>[number];

/**
 * string-width (bundled by the packages that measure terminal columns) makes an
 * `Intl.Segmenter` and a Unicode-property regex when it is loaded, which cost ~7 ms and
 * ~0.3 ms of ICU set-up at every start even when nothing is ever measured; this makes each
 * on first use instead, keeping its semantics.
 */
const lazySegmenter: Plugin = {
  name: "lazy-string-width-segmenter",
  setup(build) {
    build.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const lazyOnes: [eager: string, lazy: string][] = [
        [
          "const segmenter = new Intl.Segmenter();",
          "let realSegmenter;\nconst segmenter = { segment: (text) => (realSegmenter ??= new Intl.Segmenter()).segment(text) };",
        ],
        [
          "const defaultIgnorableCodePointRegex = /^\\p{Default_Ignorable_Code_Point}$/u;",
          // A regex literal is checked when the file is compiled, even inside a function; a string is not.
          'let realIgnorable;\nconst defaultIgnorableCodePointRegex = { test: (text) => (realIgnorable ??= new RegExp("^\\\\p{Default_Ignorable_Code_Point}$", "u")).test(text) };',
        ],
      ];
      let source = await readFile(args.path, "utf8");
      for (const [eager, lazy] of lazyOnes) {
        if (!source.includes(eager)) throw new Error(`string-width changed: ${args.path} no longer has "${eager}"; update tsup.base.ts`);
        source = source.replace(eager, lazy);
      }
      return { contents: source, loader: "js" };
    });
  },
};

/**
 * esbuild escapes non-ASCII characters in code but leaves them in comments ("—", "→").
 * One such character sends Node's ESM loader down its slow path to decode the whole file
 * at every import (~0.17 ms for a 96 KB file, 13× the ASCII path); escaped, the files stay
 * ASCII. esbuild's ASCII-only output means only comments are touched.
 */
const asciiOutput: TsupPlugin = {
  name: "ascii-output",
  renderChunk(code, chunk) {
    if (!/\.[cm]?js$/.test(chunk.path)) return undefined;
    return { code: code.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`) };
  },
};

/**
 * The one build setup every package shares: ESM + CJS + declarations for Node 20.
 * No source maps: the output is unminified, so stack traces read as they are, and maps
 * would more than double the published bytes (with the sources embedded) or point at
 * sources the tarball does not ship.
 */
export function base(overrides: Options = {}): Options {
  return {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: false,
    target: "node20",
    platform: "node",
    shims: true,
    splitting: false,
    ...overrides,
    esbuildPlugins: [lazySegmenter, ...(overrides.esbuildPlugins ?? [])],
    plugins: [asciiOutput, ...(overrides.plugins ?? [])],
  };
}

/**
 * The library plus a command-line entry. tsup builds the two side by side, so the
 * library's clean step spares the bin's one output file.
 */
export function withBin(overrides: Options = {}): Options[] {
  return [base({ clean: ["!cli.js"], ...overrides }), bin()];
}

/**
 * A command-line entry (`src/cli.ts`, `#!` on its first line): ESM only and without
 * declarations, since nothing imports it. Its import of `./index.js` stays an import of
 * the package's own built library instead of a second copy of it.
 */
function bin(overrides: Options = {}): Options {
  return {
    entry: ["src/cli.ts"],
    format: ["esm"],
    dts: false,
    clean: false,
    sourcemap: false,
    target: "node20",
    platform: "node",
    splitting: false,
    esbuildPlugins: [
      {
        name: "library-stays-external",
        setup(build) {
          build.onResolve({ filter: /^\.\/index\.js$/ }, () => ({ path: "./index.js", external: true }));
        },
      },
    ],
    ...overrides,
  };
}
