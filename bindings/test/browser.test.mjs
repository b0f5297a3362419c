// The package in a real browser: headless Chromium (Debian's) driven by playwright-core loads the
// ES-module build from a local server and runs `using`, the finalizer fallback and the ledger; the
// test reads the results back from the page. Skipped, with one line, where Chromium is absent.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';

const CHROMIUM = '/usr/bin/chromium';
const root = new URL('../', import.meta.url).pathname;
const skip = !existsSync(CHROMIUM)
  ? `browser test skipped: ${CHROMIUM} is absent (apt-get install chromium)`
  : !existsSync(join(root, 'pkg/web/kimchi_handles.js'))
    ? 'browser test skipped: no web build in bindings/pkg/web (make bindings-build)'
    : false;
if (skip) console.log(`# ${skip}`);

const PAGE = `<!doctype html><meta charset="utf-8"><title>kimchi-handles</title>
<script type="module">
import init, * as demo from '/pkg/web/kimchi_handles.js';
import { installHandles, assertNoLeaks } from '/dist/esm/index.js';
const results = {};
try {
  await init();
  const g = installHandles(demo);
  let p;
  { using inner = new g.Payload(1000, 3); p = inner; results.inside = inner.state; results.checksumOk = inner.checksum() === g.expectedChecksum(1000, 3); }
  results.afterUsing = p.state;
  try { p.checksum(); } catch (e) { results.useAfterDispose = e.message; }
  { using q = new g.Payload(10); g.consumePayload(q); results.moved = q.state; }
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

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

test('in headless Chromium: using, clear errors, the finalizer fallback and the ledger', { skip, timeout: 60_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  let context;
  try {
    // A fresh, empty profile each run; flags that keep Chromium off the (closed) network.
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kh-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc'],
    });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.__results !== undefined, null, { timeout: 30_000 });
    const r = await page.evaluate(() => window.__results);
    assert.equal(r.failure, undefined, r.failure);
    assert.equal(r.inside, 'live');
    assert.equal(r.checksumOk, true);
    assert.equal(r.afterUsing, 'disposed');
    assert.match(r.useAfterDispose, /^Payload #\d+ was disposed$/);
    assert.equal(r.moved, 'moved');
    assert.equal(r.noLeaks, true);
    const s = r.ledger.classes.Payload;
    assert.equal(s.rescued, 10, JSON.stringify(s));
    assert.deepEqual([s.live, s.liveBytes, s.moved], [0, 0, 1]);
    assert.equal(r.ledger.total.live, 0);
  } finally {
    await context?.close();
    server.close();
  }
});
