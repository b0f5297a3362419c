// Writes the JS classes and TypeScript types of a kimchi-handles WASM module from the metadata
// records that `#[class]`, `#[export]` and `#[derive(Shape)]` put in its custom section
// `kimchi_handles`. The raw functions come from wasm-bindgen's output in `raw/`; the classes hold
// keys, check arguments, wrap results, and run on the runtime in runtime.js.
//
//   node glue/generate.mjs <module.wasm> --out-dir <dir> --target nodejs|web [--wasm-bindgen <path>]
//
// runs wasm-bindgen into <dir>/raw and writes <dir>/<name>.js and <name>.d.ts.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const RUNTIME = readFileSync(join(here, 'runtime.js'), 'utf8');

/** The metadata records of a WASM module (bytes or a compiled module). */
export function readRecords(wasm) {
  const module = wasm instanceof WebAssembly.Module ? wasm : new WebAssembly.Module(wasm);
  const text = WebAssembly.Module.customSections(module, 'kimchi_handles')
    .map((s) => Buffer.from(s).toString('utf8'))
    .join('');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

const RESERVED = new Set(['dispose', 'free', 'id', 'state', 'byteSize', 'share', 'transfer', 'adopt', '__kh']);

/** The records sorted by name, so the output does not depend on link order. */
function organize(records) {
  const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const classes = records.filter((r) => r.t === 'class').sort(byName);
  // A shape used by several crates of one module is recorded once per use: keep one.
  const shapes = [...new Map(records.filter((r) => r.t === 'shape').map((r) => [r.name, r])).values()].sort(byName);
  const fns = records.filter((r) => r.t === 'fn');
  const known = new Set(classes.map((c) => c.name));
  for (const f of fns) {
    if (f.class && !known.has(f.class)) throw new Error(`${f.raw}: class ${f.class} has no #[class] record`);
    if (f.class && RESERVED.has(f.name)) throw new Error(`${f.class}.${f.name}: the name belongs to every handle class`);
  }
  const members = (c) => fns.filter((f) => f.class === c.name).sort(byName);
  const functions = [...new Map(fns.filter((f) => !f.class).map((f) => [f.name, f])).values()].sort(byName);
  const shapeMap = new Map(shapes.map((s) => [s.name, s]));
  // The names a handle's `state` reads, as the core records them.
  const states = records.filter((r) => r.t === 'states');
  if (states.length !== 1) throw new Error(`the module has ${states.length} records of handle states, expected 1 (from kimchi-handles' core)`);
  const stateType = states[0].names.map((n) => `'${n}'`).join(' | ');
  return { classes, shapes, shapeMap, members, functions, stateType };
}

// ---- JS -----------------------------------------------------------------------------------------

const q = (s) => JSON.stringify(s);

/** The expression that checks and converts one argument. */
function convert(ty, expr, fn, param) {
  switch (ty.k) {
    case 'int':
    case 'num':
      return `num(${expr}, ${q(fn)}, ${q(param)})`;
    case 'bool':
      return `bool(${expr}, ${q(fn)}, ${q(param)})`;
    case 'bytes':
      return `bytes(${expr}, ${q(fn)}, ${q(param)})`;
    case 'string':
      return `str(${expr}, ${q(fn)}, ${q(param)})`;
    case 'function':
      return `func(${expr}, ${q(fn)}, ${q(param)})`;
    case 'ref':
    case 'take':
      return `keyOf(${expr}, ${q(fn)}, ${q(param)}, ${q(ty.class)})`;
    case 'opt':
      return `(${expr} == null ? undefined : ${convert(ty.of, expr, fn, param)})`;
    default:
      return expr;
  }
}

/** Whether a result of this kind holds keys the glue must turn into handle objects. */
function holdsHandles(ty, shapes, seen = new Set()) {
  switch (ty.k) {
    case 'handle':
      return true;
    case 'opt':
    case 'array':
    case 'record':
      return holdsHandles(ty.of, shapes, seen);
    case 'shape': {
      if (seen.has(ty.name)) return false;
      seen.add(ty.name);
      return (shapes.get(ty.name)?.fields ?? []).some((f) => holdsHandles(f.ty, shapes, seen));
    }
    default:
      return false;
  }
}

/** The expression for a result: keys become handle objects, also inside plain data. */
function result(ty, expr, shapes, depth = 0) {
  if (!holdsHandles(ty, shapes)) return expr;
  const v = `v${depth}`;
  switch (ty.k) {
    case 'handle':
      return `new ${ty.class}(WRAP, ${expr})`;
    case 'opt':
      return `((${v}) => (${v} == null ? ${v} : ${result(ty.of, v, shapes, depth + 1)}))(${expr})`;
    case 'array':
      return `${expr}.map((${v}) => ${result(ty.of, v, shapes, depth + 1)})`;
    case 'record':
      return `Object.fromEntries(Object.entries(${expr}).map(([k, ${v}]) => [k, ${result(ty.of, v, shapes, depth + 1)}]))`;
    case 'shape':
      return `wrap$${ty.name}(${expr})`;
    default:
      return expr;
  }
}

/** For each shape that holds handles: the function that wraps its keys, in place. */
function shapeWrappers(shapes) {
  const out = [];
  for (const s of shapes.values()) {
    if (!holdsHandles({ k: 'shape', name: s.name }, shapes)) continue;
    const lines = [`function wrap$${s.name}(v) {`, `  if (v == null) return v;`];
    for (const f of s.fields) {
      if (holdsHandles(f.ty, shapes)) lines.push(`  v.${f.name} = ${result(f.ty, `v.${f.name}`, shapes, 1)};`);
    }
    lines.push(`  return v;`, `}`);
    out.push(lines.join('\n'));
  }
  return out;
}

/** A plain-data class for JS code that builds the data with \`new\` (Rust reads its fields). */
function valueClassJs(s) {
  const params = s.fields.map((f) => local(f.name));
  return (
    jsdoc(s.doc, '') +
    `class ${s.name} {\n  constructor(${params.join(', ')}) {\n` +
    s.fields.map((f) => `    this.${f.name} = ${local(f.name)};`).join('\n') +
    `\n  }\n}`
  );
}

// Parameters get a trailing underscore in the JS: no clash with the runtime's names or with
// reserved words.
const local = (name) => `${name}_`;

function display(f) {
  if (!f.class) return f.name;
  return f.kind === 'constructor' ? `new ${f.class}` : `${f.class}.${f.name}`;
}

/** The body of a function or method: checks, the raw call, the result. */
function body(f, indent, shapes) {
  const fn = display(f);
  const lines = [`alive(${q(fn)});`];
  const args = [];
  if (['method', 'getter', 'setter'].includes(f.kind)) {
    lines.push(`const self = keyOf(this, ${q(fn)}, 'this', ${q(f.class)});`);
    args.push('self');
  }
  f.params.forEach((p, i) => {
    lines.push(`const a${i} = ${convert(p.ty, local(p.name), fn, p.name)};`);
    args.push(`a${i}`);
  });
  const call = `raw.${f.raw}(${args.join(', ')})`;
  // The fast protocol: NaN means the call failed and Rust kept the error.
  const check = f.ret.nan ? [`  if (r !== r) throw raw.__kh_take_error();`] : [];
  lines.push(`let r;`, `try {`, `  r = ${call};`, ...check, `} catch (e) {`, `  throw failed(e, ${q(fn)});`, `}`);
  if (f.kind !== 'constructor' && f.ret.k !== 'unit') lines.push(`return ${result(f.ret, 'r', shapes)};`);
  return lines.map((l) => indent + l).join('\n');
}

function jsdoc(doc, indent) {
  if (!doc) return '';
  // Rust's intra-doc links read as plain code in JS and TS.
  doc = doc.replace(/\[`([^`]+)`\](\([^)]*\))?/g, '`$1`').replace(/\*\//g, '* /');
  return `${indent}/**\n${doc
    .split('\n')
    .map((l) => `${indent} * ${l}`.trimEnd())
    .join('\n')}\n${indent} */\n`;
}

function classJs(c, members, shapes) {
  const ctor = members.find((m) => m.kind === 'constructor');
  const out = [];
  out.push(jsdoc(c.doc, '') + `class ${c.name} extends Handle {`);
  if (ctor) {
    const params = ctor.params.map((p) => local(p.name));
    const first = params[0] ?? 'token';
    const rest = params.slice(1);
    const sig = [first, ...rest, ...(params.length < 2 ? ['key'] : [])];
    out.push(jsdoc(ctor.doc, '  ') + `  constructor(${sig.join(', ')}) {`);
    out.push(`    if (${first} === WRAP) {`);
    out.push(`      super(${params.length < 2 ? 'key' : rest[0]});`);
    out.push(`      return;`);
    out.push(`    }`);
    out.push(body(ctor, '    ', shapes));
    out.push(`    super(r);`);
    out.push(`  }`);
  } else {
    out.push(`  constructor(token, key) {`);
    out.push(`    if (token !== WRAP) {`);
    out.push(`      throw new TypeError(${q(`${c.name} has no constructor: its objects come from the functions that return them`)});`);
    out.push(`    }`);
    out.push(`    super(key);`);
    out.push(`  }`);
  }
  for (const m of members) {
    if (m.kind === 'constructor') continue;
    const params = m.params.map((p) => local(p.name)).join(', ');
    const head = { method: `${m.name}(${params})`, static: `static ${m.name}(${params})`, getter: `get ${m.name}()`, setter: `set ${m.name}(${params})` }[m.kind];
    out.push('');
    out.push(jsdoc(m.doc, '  ') + `  ${head} {`);
    out.push(body(m, '    ', shapes));
    out.push(`  }`);
  }
  out.push(`}`);
  out.push(`builtins(${c.name}, classId(${q(c.name)}), ${q(c.name)});`);
  return out.join('\n');
}

function functionJs(f, shapes) {
  return jsdoc(f.doc, '') + `function ${f.name}(${f.params.map((p) => local(p.name)).join(', ')}) {\n${body(f, '  ', shapes)}\n}`;
}

/** The generated JS module (without the runtime and the module header). */
export function generateJs(records) {
  const { classes, shapes, shapeMap, members, functions } = organize(records);
  const parts = shapes.filter((s) => s.ctor).map(valueClassJs);
  parts.push(...shapeWrappers(shapeMap));
  parts.push(...classes.map((c) => classJs(c, members(c), shapeMap)));
  parts.push(...functions.map((f) => functionJs(f, shapeMap)));
  return parts.join('\n\n') + '\n';
}

/** Every exported name: the classes, the value classes, the functions, and the runtime's own. */
export function exportedNames(records) {
  const { classes, shapes, functions } = organize(records);
  return [
    ...classes.map((c) => c.name),
    ...shapes.filter((s) => s.ctor).map((s) => s.name),
    ...functions.map((f) => f.name),
    'Handle',
    'openScope',
  ];
}

// ---- TypeScript ---------------------------------------------------------------------------------

function ts(ty, position) {
  switch (ty.k) {
    case 'int':
    case 'num':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'bytes':
      return 'Uint8Array';
    case 'string':
      return 'string';
    case 'function':
      return '(...args: any[]) => unknown';
    case 'ref':
    case 'take':
    case 'handle':
      return ty.class;
    case 'shape':
      return ty.name;
    case 'array': {
      const of = ts(ty.of, position === 'param' ? 'param' : 'field');
      return of.includes(' ') ? `(${of})[]` : `${of}[]`;
    }
    case 'record':
      return `Record<string, ${ts(ty.of, position)}>`;
    case 'opt':
      return position === 'param' ? `${ts(ty.of, position)} | null` : `${ts(ty.of, position)} | ${position === 'field' ? 'null' : 'undefined'}`;
    case 'unit':
      return 'void';
    default:
      return 'any';
  }
}

// Words TypeScript does not take as parameter names (a Rust `public_` is `public` in JS).
const RESERVED_TS = new Set(['public', 'private', 'protected', 'package', 'interface', 'implements', 'let', 'static', 'yield', 'await', 'enum', 'class', 'function', 'new', 'delete', 'default', 'this', 'super', 'with', 'var', 'const', 'void', 'in', 'typeof', 'instanceof']);
const tsName = (name) => (RESERVED_TS.has(name) ? `${name}_` : name);

function paramsTs(params) {
  // Trailing optional parameters may be left out.
  let optionalFrom = params.length;
  while (optionalFrom > 0 && params[optionalFrom - 1].ty.k === 'opt') optionalFrom--;
  return params.map((p, i) => `${tsName(p.name)}${i >= optionalFrom ? '?' : ''}: ${ts(p.ty, 'param')}`).join(', ');
}

/**
 * The types every module shares (handles, scopes, the ledger's shapes) as TypeScript source: the
 * npm package compiles them in, so its helpers and the modules' types come from one declaration.
 */
export function sharedTypes(records) {
  const { shapes, stateType } = organize(records);
  const out = [HEADER, `/** What every handle class is: \`using h = ...\` works, and release is idempotent. */`];
  out.push(`export interface Handle extends Disposable {`);
  out.push(`  readonly id: number;`);
  out.push(`  readonly state: ${stateType};`);
  out.push(`  readonly byteSize: number;`);
  out.push(`  dispose(): void;`);
  out.push(`  free(): void;`);
  out.push(`  transfer(): number;`);
  out.push(`}`);
  out.push('');
  out.push(...scopeDts());
  for (const s of shapes) out.push('', ...shapeDts(s));
  return out.join('\n') + '\n';
}

function scopeDts() {
  return [
    `/** A scope from \`openScope()\`: \`using scope = openScope()\` disposes what the block created. */`,
    `export interface HandleScope extends Disposable {`,
    `  readonly id: number;`,
    `  /** Disposes the scope's live handles; returns how many. Closing twice is a no-op. */`,
    `  close(): number;`,
    `  free(): number;`,
    `  /** Moves \`handle\` to the parent scope (or to the caller) and returns it; throws if it is not a live handle of this scope. */`,
    `  keep<T extends object>(handle: T): T;`,
    `}`,
  ];
}

function shapeDts(s) {
  const out = [jsdoc(s.doc, '') + `export ${s.ctor ? 'class' : 'interface'} ${s.name} {`];
  if (s.ctor) out.push(`  constructor(${paramsTs(s.fields)});`);
  for (const f of s.fields) out.push(jsdoc(f.doc, '  ') + `  ${f.name}: ${ts(f.ty, 'field')};`);
  out.push(`}`);
  return out;
}

export function generateDts(records) {
  const { classes, shapes, members, functions, stateType } = organize(records);
  const out = [];
  out.push(`/** What every handle class is: \`using h = ...\` works, and release is idempotent. */`);
  out.push(`export abstract class Handle implements Disposable {`);
  out.push(`  /** The handle's id, as error messages and leak reports show it. */`);
  out.push(`  readonly id: number;`);
  out.push(`  readonly state: ${stateType};`);
  out.push(`  /** Deep bytes of the value while live, else 0. */`);
  out.push(`  readonly byteSize: number;`);
  out.push(`  /** Releases the value now. Again, or after a move, it does nothing. */`);
  out.push(`  dispose(): void;`);
  out.push(`  /** Same as \`dispose()\`. */`);
  out.push(`  free(): void;`);
  out.push(`  [Symbol.dispose](): void;`);
  out.push(`  /** Ends this handle as "transferred"; another thread gets it back with \`Class.adopt(token)\`. */`);
  out.push(`  transfer(): number;`);
  out.push(`}`);
  out.push('');
  out.push(...scopeDts());
  out.push('');
  out.push(`/** Opens a scope inside the innermost open one of this thread. */`);
  out.push(`export function openScope(): HandleScope;`);
  for (const s of shapes) out.push('', ...shapeDts(s));
  for (const c of classes) {
    const ms = members(c);
    const ctor = ms.find((m) => m.kind === 'constructor');
    out.push('');
    out.push(jsdoc(c.doc, '') + `export class ${c.name} extends Handle {`);
    out.push(ctor ? jsdoc(ctor.doc, '  ') + `  constructor(${paramsTs(ctor.params)});` : `  private constructor();`);
    for (const m of ms) {
      if (m.kind === 'constructor') continue;
      const doc = jsdoc(m.doc, '  ');
      if (m.kind === 'getter') out.push(doc + `  get ${m.name}(): ${ts(m.ret, 'ret')};`);
      else if (m.kind === 'setter') out.push(doc + `  set ${m.name}(${tsName(m.params[0].name)}: ${ts(m.params[0].ty, 'param')});`);
      else out.push(doc + `  ${m.kind === 'static' ? 'static ' : ''}${m.name}(${paramsTs(m.params)}): ${ts(m.ret, 'ret')};`);
    }
    out.push(`  /** A second handle to the same value; the value lives until the last of them is released. */`);
    out.push(`  share(): ${c.name};`);
    out.push(`  /** The handle a \`transfer()\` on another thread of this instance handed over. */`);
    out.push(`  static adopt(token: number): ${c.name};`);
    out.push(`}`);
  }
  for (const f of functions) {
    out.push('');
    out.push(jsdoc(f.doc, '') + `export function ${f.name}(${paramsTs(f.params)}): ${ts(f.ret, 'ret')};`);
  }
  return out.join('\n') + '\n';
}

// ---- whole modules ------------------------------------------------------------------------------

const HEADER = '// Generated by kimchi-handles (glue/generate.mjs) from the module\'s metadata: do not edit.\n';

/** The module for Node: CommonJS over wasm-bindgen's `--target nodejs` output. */
export function nodeModule(records, rawPath) {
  const names = exportedNames(records);
  return (
    HEADER +
    `'use strict';\nconst raw = require(${q(rawPath)});\n\n` +
    RUNTIME +
    '\n' +
    generateJs(records) +
    `\nmodule.exports = { ${names.join(', ')} };\n`
  );
}

/** The module for browsers (and threads): an ES module over `--target web`; call `init` first. */
export function webModule(records, rawPath) {
  const names = exportedNames(records);
  return (
    HEADER +
    `import * as raw from ${q(rawPath)};\nexport { default, default as init, initSync } from ${q(rawPath)};\n\n` +
    RUNTIME +
    '\n' +
    generateJs(records) +
    `\nexport { ${names.join(', ')} };\n`
  );
}

function webDts(records, rawPath) {
  return (
    generateDts(records) +
    `\nexport { default, default as init, initSync } from ${q(rawPath)};\n`
  );
}

function main(argv) {
  const input = argv[0];
  const option = (name, fallback) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  const outDir = option('--out-dir');
  const target = option('--target', 'nodejs');
  const bindgen = option('--wasm-bindgen', 'wasm-bindgen');
  if (!input || !outDir || !['nodejs', 'web'].includes(target)) {
    console.error('usage: node glue/generate.mjs <module.wasm> --out-dir <dir> --target nodejs|web');
    process.exit(2);
  }
  const name = basename(input, '.wasm');
  const rawDir = join(outDir, 'raw');
  mkdirSync(rawDir, { recursive: true });
  execFileSync(bindgen, ['--target', target, '--out-dir', rawDir, input], { stdio: 'inherit' });
  const records = readRecords(readFileSync(join(rawDir, `${name}_bg.wasm`)));
  const rawPath = `./raw/${name}.js`;
  writeFileSync(join(outDir, 'handles-types.ts'), sharedTypes(records));
  if (target === 'nodejs') {
    writeFileSync(join(outDir, `${name}.js`), nodeModule(records, rawPath));
    writeFileSync(join(outDir, `${name}.d.ts`), generateDts(records));
  } else {
    writeFileSync(join(outDir, `${name}.js`), webModule(records, rawPath));
    writeFileSync(join(outDir, `${name}.d.ts`), webDts(records, rawPath));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
