// The package in a real browser: headless Chromium (Debian's) driven by playwright-core loads the
// ES-module builds from a local server. The single-threaded build runs `using`, clear errors, the
// finalizer fallback and the ledger on a page without cross-origin isolation; the threaded build
// runs on a page served with COOP/COEP, where a Web Worker shares the instance's memory: a handle
// made on the worker is adopted and disposed on the main thread; the unwinding build turns a panic
// and an out-of-memory into Errors and goes on. Skipped, with one line, where Chromium is absent.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { chromiumAbsent, pageResults } from './chromium.mjs';

const root = new URL('../', import.meta.url).pathname;
const skip = chromiumAbsent()
  ? `browser test skipped: ${chromiumAbsent()}`
  : ['web', 'threads', 'unwind-web'].some((b) => !existsSync(join(root, `pkg/${b}/kimchi_handles.js`)))
    ? 'browser test skipped: no web, threads or unwind-web build in bindings/pkg (make bindings-build)'
    : false;
if (skip) console.log(`# ${skip}`);

const SINGLE = `<!doctype html><meta charset="utf-8"><title>kimchi-handles</title>
<script type="module">
import init, * as g from '/pkg/web/kimchi_handles.js';
import { assertNoLeaks } from '/dist/esm/index.js';
const results = {};
try {
  await init();
  results.isolated = self.crossOriginIsolated;
  let p;
  { using inner = new g.Payload(1000, 3); p = inner; results.inside = inner.state; results.checksumOk = inner.checksum() === g.expectedChecksum(1000, 3); }
  results.afterUsing = p.state;
  try { p.checksum(); } catch (e) { results.useAfterDispose = e.message; }
  { using q = new g.Payload(10); g.consumePayload(q); results.moved = q.state; }
  try { new g.PayloadList(2, 2).get(1.5); } catch (e) { results.badIndex = e.message; }
  results.noLeaks = (() => { try { assertNoLeaks(g, () => { using x = new g.PayloadList(3, 10); }); return true; } catch { return false; } })();
  g.setLeakCallback(() => {});
  (() => { for (let i = 0; i < 10; i++) new g.Payload(1000); })();
  for (let i = 0; i < 100 && (g.ledger().classes.Payload?.rescued ?? 0) < 10; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  results.ledger = g.ledger();
} catch (e) {
  results.failure = String(e && e.stack || e);
}
window.__results = results;
</script>`;

const THREADS_PAGE = `<!doctype html><meta charset="utf-8"><title>kimchi-handles threads</title>
<script type="module">
import * as k from '/pkg/threads/kimchi_handles.js';
const results = {};
try {
  results.isolated = self.crossOriginIsolated;
  const module = await WebAssembly.compileStreaming(fetch('/pkg/threads/raw/kimchi_handles_bg.wasm'));
  const { memory } = k.initSync({ module });
  results.shared = memory.buffer instanceof SharedArrayBuffer;
  const worker = new Worker('/worker.js', { type: 'module' });
  const reply = new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); });
  worker.postMessage({ module, memory });
  const { token, failure } = await reply;
  if (failure) throw new Error(failure);
  results.liveBeforeAdopt = k.ledger().classes.Payload.live;
  const p = k.Payload.adopt(token);
  results.checksumOk = p.checksum() === k.expectedChecksum(5000, 9);
  p.dispose();
  results.after = k.ledger().classes.Payload;
  // The main thread of a page may not block (Atomics.wait throws there): 10,000 handles in a loop.
  for (let i = 0; i < 10000; i++) new k.Payload(16).dispose();
  results.loop = k.ledger().classes.Payload.disposed;
} catch (e) {
  results.failure = String(e && e.stack || e);
}
window.__results = results;
</script>`;

const UNWIND_PAGE = `<!doctype html><meta charset="utf-8"><title>kimchi-handles unwind</title>
<script type="module">
import init, * as g from '/pkg/unwind-web/kimchi_handles.js';
const results = {};
try {
  await init();
  const p = new g.Payload(1000, 3);
  const before = g.ledger().total;
  try { g.panicForTest('boom'); } catch (e) { results.panic = e.message; }
  try { g.allocateWithoutBoundForTest(); } catch (e) { results.oom = e.message; }
  results.memoryGiB = g.wasmMemoryBytes() / 2 ** 30;
  results.intact = p.checksum() === g.expectedChecksum(1000, 3);
  results.sameLedger = JSON.stringify(g.ledger().total) === JSON.stringify(before);
  const q = new g.Payload(1 << 30, 1);
  results.bigAfter = q.length;
  q.dispose();
  p.dispose();
  results.live = g.ledger().total.live;
} catch (e) {
  results.failure = String(e && e.stack || e);
}
window.__results = results;
</script>`;

const WORKER = `import * as k from '/pkg/threads/kimchi_handles.js';
onmessage = ({ data }) => {
  try {
    k.initSync({ module: data.module, memory: data.memory });
    const p = new k.Payload(5000, 9);
    postMessage({ token: p.transfer() });
  } catch (e) {
    postMessage({ failure: String(e && e.stack || e) });
  }
};`;

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

function serve() {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    // The threaded page and everything it loads are cross-origin isolated; the other page is not.
    const isolate = req.headers.referer?.includes('/threads') || path === '/threads' || path === '/worker.js';
    const headers = isolate ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
    const send = (type, body) => res.writeHead(200, { ...headers, 'content-type': type }).end(body);
    if (path === '/') return send('text/html', SINGLE);
    if (path === '/threads') return send('text/html', THREADS_PAGE);
    if (path === '/unwind') return send('text/html', UNWIND_PAGE);
    if (path === '/worker.js') return send('text/javascript', WORKER);
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || !existsSync(file)) return res.writeHead(404).end();
    send(TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function resultsOf(path) {
  const server = await serve();
  try {
    return await pageResults(`http://127.0.0.1:${server.address().port}${path}`);
  } finally {
    server.close();
  }
}

test('single-threaded build in headless Chromium: using, clear errors, the finalizer fallback and the ledger', { skip, timeout: 60_000 }, async () => {
  const r = await resultsOf('/');
  assert.equal(r.failure, undefined, r.failure);
  assert.equal(r.isolated, false, 'no COOP/COEP needed');
  assert.equal(r.inside, 'live');
  assert.equal(r.checksumOk, true);
  assert.equal(r.afterUsing, 'disposed');
  assert.match(r.useAfterDispose, /^Payload\.checksum: Payload #\d+ was disposed$/);
  assert.equal(r.moved, 'moved');
  assert.equal(r.badIndex, 'PayloadList.get: index must be a whole number from 0 to 4294967295, got 1.5');
  assert.equal(r.noLeaks, true);
  const s = r.ledger.classes.Payload;
  assert.equal(s.rescued, 10, JSON.stringify(s));
  assert.deepEqual([s.live, s.liveBytes, s.moved], [0, 0, 1]);
});

test('threaded build in headless Chromium with COOP/COEP: a worker\'s handle adopted and disposed on the main thread', { skip, timeout: 60_000 }, async () => {
  const r = await resultsOf('/threads');
  assert.equal(r.failure, undefined, r.failure);
  assert.equal(r.isolated, true);
  assert.equal(r.shared, true);
  assert.equal(r.liveBeforeAdopt, 1, 'the worker\'s handle is in the one ledger');
  assert.equal(r.checksumOk, true);
  assert.deepEqual([r.after.live, r.after.liveBytes, r.after.disposed, r.after.created], [0, 0, 1, 1]);
  assert.equal(r.loop, 10001);
});

test('unwinding build in headless Chromium: a panic and an out-of-memory are Errors, and the instance goes on', { skip, timeout: 120_000 }, async () => {
  const r = await resultsOf('/unwind');
  assert.equal(r.failure, undefined, r.failure);
  assert.match(r.panic, /^panicForTest panicked: boom \(at src\/demo\.rs:\d+\)$/);
  assert.match(r.oom, /^allocateWithoutBoundForTest panicked: memory allocation of \d+ bytes failed$/);
  assert.ok(r.memoryGiB > 3.5, `memory really ran out (${r.memoryGiB} GiB)`);
  assert.equal(r.intact, true);
  assert.equal(r.sameLedger, true);
  assert.equal(r.bigAfter, 1 << 30, 'the failed call freed what it had allocated: 1 GiB fits again');
  assert.equal(r.live, 0);
});
