// The Vite plugin that makes o1js 2.15.0 in a browser prove on this package's module instead of
// the kimchi-wasm it inlines. o1js's browser bundle is patched as Vite reads it (never on disk):
// its kimchi instance and its worker are replaced by `kimchiModule()` from this package's
// `web.mjs`, marked as a native-backend module so that o1js's own native conversion code (which
// the bundle carries) talks to it, and its thread pool becomes this module's. The bundle must be
// exactly o1js 2.15.0's: anything else is refused with an Error that says which version works.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

// The o1js version this package serves: its peer dependency, stated once in package.json.
const O1JS = createRequire(import.meta.url)('./package.json').peerDependencies.o1js;
// SHA-256 of o1js 2.15.0's dist/web/index.js, as published on npm.
const BUNDLE_SHA256 = 'f58f67bb36f1988f242b36e67876a996156eed0ec253171da502037c727be3b4';
const NAME = /[\w$]+/.source;

// Each edit must match exactly once. The patterns capture the bundle's minified names rather than
// spelling them, so a mismatch means the code changed, not the names. Each is tried only around
// the places its `anchor` (a literal) stands, since a pattern run over 16 MB takes seconds.
const EDITS = [
  {
    what: "o1js's kimchi instance and its worker",
    anchor: 'globalThis.kimchi_wasm=',
    pattern: new RegExp(
      `(${NAME})=(${NAME})\\(\\),globalThis\\.kimchi_wasm=\\1;let (${NAME})=\\1\\.default,(${NAME})=(${NAME})\\(navigator\\.userAgent\\);` +
        `await \\3\\(void 0,\\4\\);let (${NAME})=\\3\\.__wbindgen_wasm_module;new Function\\((${NAME})\\)\\(\\),`,
    ),
    replace: (_, wasm, _factory, _init, _memory, _alloc, _module, ocaml) =>
      `${wasm}=await __kimchiHandles.kimchiModule(),globalThis.kimchi_wasm=${wasm};new Function(${ocaml})();return;`,
  },
  {
    what: "o1js's thread pool",
    anchor: '({initThreadPool:',
    pattern: new RegExp(`(${NAME})=(${NAME})\\(\\{initThreadPool:(${NAME}),exitThreadPool:(${NAME})\\}\\)`),
    replace: (_, pool, withPool) => `${pool}=${withPool}({initThreadPool:__kimchiHandles.initThreadPool,exitThreadPool:__kimchiHandles.exitThreadPool})`,
  },
  {
    // Inside the js_of_ocaml code (a template literal): keep the module's own flag.
    what: "the backend flag o1js's OCaml code sets",
    anchor: 'kimchi_ffi.__kimchi_backend=',
    pattern: /kimchi_ffi\.__kimchi_backend="wasm"/,
    replace: () => 'kimchi_ffi.__kimchi_backend=kimchi_ffi.__kimchi_backend||"wasm"',
  },
  {
    // o1js's own kimchi-wasm, base64, never instantiated after the first edit.
    what: "o1js's inlined kimchi-wasm",
    anchor: '"AGFzbQ',
    pattern: /"AGFzbQ[A-Za-z0-9+/=]*"/,
    replace: () => '""',
  },
];

/** o1js 2.15.0's browser bundle, patched to run on this package's module. */
export function patchO1jsBundle(code) {
  const sha256 = createHash('sha256').update(code).digest('hex');
  if (sha256 !== BUNDLE_SHA256) {
    throw new Error(
      `kimchi-handles-o1js: this o1js browser bundle is not o1js ${O1JS}'s (SHA-256 ${sha256.slice(0, 16)}...): ` +
        `install o1js@${O1JS}, or remove the kimchi-handles-o1js plugin from your Vite config to use o1js's own kimchi-wasm.`,
    );
  }
  let out = code;
  for (const edit of EDITS) {
    const found = [];
    for (let at = out.indexOf(edit.anchor); at !== -1; at = out.indexOf(edit.anchor, at + 1)) {
      // A window around the anchor: from a little before it to the end of the statement (for
      // the inlined module, its closing quote).
      const start = Math.max(0, at - 64);
      const end = edit.anchor === '"AGFzbQ' ? out.indexOf('"', at + 1) + 1 : Math.min(out.length, at + 512);
      const m = edit.pattern.exec(out.slice(start, end));
      if (m && !found.some((f) => f.index === start + m.index)) found.push({ index: start + m.index, match: m });
    }
    if (found.length !== 1) throw new Error(`kimchi-handles-o1js: ${edit.what}: ${found.length} places in the bundle, expected 1`);
    const [{ index, match }] = found;
    out = out.slice(0, index) + edit.replace(...match) + out.slice(index + match[0].length);
  }
  // The source map no longer matches the patched lines.
  out = out.replace(/\n\/\/# sourceMappingURL=index\.js\.map\s*$/, '\n');
  return `import * as __kimchiHandles from 'kimchi-handles-o1js/web';\n${out}`;
}

const isO1jsBundle = (id) => /[\\/]o1js[\\/]dist[\\/]web[\\/]index\.js(\?.*)?$/.test(id);

// Pages that use threads must be cross-origin isolated (SharedArrayBuffer): the dev and preview
// servers send these headers; a production server must send them too.
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** The Vite plugin: `plugins: [kimchiHandlesO1js()]` in vite.config. */
export default function kimchiHandlesO1js({ isolation = true } = {}) {
  return {
    name: 'kimchi-handles-o1js',
    enforce: 'pre',
    config() {
      return {
        // Dependencies pre-bundled by Vite's optimizer skip `transform`; both must stay as files.
        optimizeDeps: { exclude: ['o1js', 'kimchi-handles-o1js'] },
        // Workers are bundled apart, with their own plugins: o1js in a Web Worker is patched too.
        worker: { format: 'es', plugins: () => [kimchiHandlesO1js({ isolation })] },
        server: isolation ? { headers: ISOLATION } : undefined,
        preview: isolation ? { headers: ISOLATION } : undefined,
      };
    },
    transform(code, id) {
      if (!isO1jsBundle(id)) return null;
      return { code: patchO1jsBundle(code), map: null };
    },
  };
}
