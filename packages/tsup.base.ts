import { readFile } from "node:fs/promises";
import { basename, dirname, relative, resolve } from "node:path";
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
 * Built-in modules that an empty start or a pipeline's construction never calls and that cost
 * a start to load (`crypto` ~1.9 ms with the streams it loads, `zlib` and `v8` ~1 ms each,
 * `module` with its source-map support and `os` a few tenths): hashing, serializing, the
 * store's journal, the optional parsers and the thread pool load them on first use.
 */
const LOADED_ON_FIRST_CALL = new Set(["node:crypto", "node:zlib", "node:v8", "node:stream/promises", "node:module", "node:os"]);

/**
 * Whether `local`, imported as `remote` from built-in `id`, can load on its first call: a
 * plain function there (lower-case by Node's naming; classes and constants stay eager), and
 * nowhere in the chunk a property read, `new` or `typeof` of that name, the uses a stand-in
 * function would answer differently (a shadowing name used so keeps it eager too, to be safe).
 */
function standInServes(code: string, id: string, remote: string, local: string): boolean {
  const value = (process.getBuiltinModule(id) as Record<string, unknown>)[remote];
  if (typeof value !== "function" || !/^[a-z]/.test(remote)) return false;
  const name = local.replace(/\$/g, "\\$");
  const propertyRead = new RegExp(`(?<![\\w$.])${name}\\s*(?:\\.|\\[|\\?\\.)`);
  const newOrTypeof = new RegExp(`\\b(?:new|typeof)\\s+${name}(?![\\w$])`);
  const withoutLineComments = code.replace(/^\s*\/\/.*$/gm, "");
  return !propertyRead.test(withoutLineComments) && !newOrTypeof.test(withoutLineComments);
}

/**
 * A binding that loads its built-in module when first called and then is the module's own
 * function, so later calls pay nothing (a copy of the first binding kept elsewhere still
 * works: it looks the function up at each call).
 */
function loadOnFirstCall(take: string, remote: string, local: string): string {
  return `let ${local} = function () { const real = ${take}.${remote}; ${local} = real; return real.apply(this, arguments); };`;
}

/**
 * Node's built-in modules, taken with `process.getBuiltinModule` (Node 20.16+) in the ES
 * module build. An `import … from "node:fs"` makes Node build the module's ES facade, which
 * reads every export once: `fs` then loads its promises API and streams, `crypto` its
 * WebCrypto, `util` its argument parser, ~1.5 ms of every start for exports nothing here
 * uses. Each import statement becomes a read of just the names it imports, where it stood
 * (esbuild puts a module's imports before its code, and modules after what they import).
 */
const builtinsWithoutFacade: TsupPlugin = {
  name: "builtins-without-facade",
  renderChunk(code, chunk) {
    if (!/\.m?js$/.test(chunk.path)) return undefined;
    const take = (id: string) => `process.getBuiltinModule(${JSON.stringify(id)})`;
    const out = code
      .replace(/^import \{([^}]*)\} from "(node:[^"]+)";$/gm, (_, names: string, id: string) => {
        const pairs = names
          .split(",")
          .map((n) => n.trim())
          .filter(Boolean)
          .map((n) => (/^(\S+) as (\S+)$/.exec(n)?.slice(1) ?? [n, n]) as [remote: string, local: string]);
        if (LOADED_ON_FIRST_CALL.has(id) && pairs.every(([remote, local]) => standInServes(code, id, remote, local))) {
          return pairs.map(([remote, local]) => loadOnFirstCall(take(id), remote, local)).join("\n");
        }
        return `const { ${pairs.map(([remote, local]) => (remote === local ? local : `${remote}: ${local}`)).join(", ")} } = ${take(id)};`;
      })
      .replace(/^import (?:\* as )?([\w$]+) from "(node:[^"]+)";$/gm, (_, name: string, id: string) => `const ${name} = ${take(id)};`)
      .replace(/^import "(node:[^"]+)";$/gm, (_, id: string) => `${take(id)};`);
    const left = /^(?:import|export)\b[^;]*?from "node:[^"]+";$/m.exec(out);
    if (left) throw new Error(`builtins-without-facade: ${chunk.path} has a form of import it does not rewrite: ${left[0]}`);
    return { code: out };
  },
};

/**
 * The other packages' ES module builds import `@lp/core`'s public names from
 * `@lp/core/internal`, the file that holds them (core's index.js only re-exports it, see
 * `hostedEntries`). Every distinct specifier an ES module imports is resolved again for each
 * file that imports it (node_modules lookup, package.json exports, realpath through the
 * workspace link): with both specifiers a start paid about twice as many resolutions of core,
 * plus loading index.js. The binding reached is the same either way.
 */
const coreFromItsHost: TsupPlugin = {
  name: "core-from-its-host",
  renderChunk(code, chunk) {
    if (!/\.m?js$/.test(chunk.path)) return undefined;
    // Named imports and re-exports only: `export *` from internal would export its internals too.
    return { code: code.replace(/^((?:import|export) \{[^;}]*\} from )"@lp\/core";$/gm, '$1"@lp/core/internal";') };
  },
};

/**
 * Entries of one package that share modules, built as one file plus thin ones (ES module
 * build only). `host` holds every module the `mirrored` entries need and exports their names
 * besides its own; each of them becomes a file of re-exports from the host. The other
 * `guests` keep their own code and import from the host whatever they import from the
 * package. A class reached through any entry is then the one copy in the host, as with split
 * chunks, but `@lp/core` loads as two files instead of four: Node's ES module loader pays
 * about a millisecond of fixed work per file at every start.
 */
export function hostedEntries(
  host: string,
  { mirrored, guests = [] }: { mirrored: readonly string[]; guests?: readonly string[] },
): Plugin {
  const hostPath = resolve(host);
  const mirroredPaths = mirrored.map((g) => resolve(g));
  const guestPaths = new Set([...mirroredPaths, ...guests.map((g) => resolve(g))]);
  const hostFile = `./${basename(host).replace(/\.ts$/, ".js")}`;
  return {
    name: "hosted-entries",
    setup(build) {
      if (build.initialOptions.outExtension?.[".js"] === ".cjs") return;
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point" && guestPaths.has(resolve(args.resolveDir, args.path))) {
          // Relative to the package, as the path appears in the output's comments.
          return { path: relative(process.cwd(), resolve(args.resolveDir, args.path)), namespace: "lp-guest" };
        }
        if (args.namespace === "lp-guest" && args.path.startsWith(".")) return { path: hostFile, external: true };
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: "lp-guest" }, async (args) => ({
        contents: await readFile(resolve(args.path), "utf8"),
        loader: "ts",
        resolveDir: dirname(resolve(args.path)),
      }));
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path !== hostPath) return undefined;
        const reexports = mirroredPaths.map(
          (g) => `export * from ${JSON.stringify(`./${relative(dirname(hostPath), g).replace(/\.ts$/, ".js")}`)};`,
        );
        return { contents: `${await readFile(args.path, "utf8")}\n${reexports.join("\n")}\n`, loader: "ts" };
      });
    },
  };
}

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
    // Built-in modules keep their `node:` prefix, which builtinsWithoutFacade looks for.
    removeNodeProtocol: false,
    ...overrides,
    esbuildPlugins: [lazySegmenter, ...(overrides.esbuildPlugins ?? [])],
    plugins: [asciiOutput, builtinsWithoutFacade, coreFromItsHost, ...(overrides.plugins ?? [])],
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
