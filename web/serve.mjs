// Serves the demo page and the builds it loads, on localhost. With cross-origin isolation
// (COOP/COEP headers, the default) the page runs the threaded build; with --no-isolation, the
// single-threaded one.
//
//   node web/serve.mjs [--port 8080] [--no-isolation]
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(new URL('./', import.meta.url));
const root = join(here, '..');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css' };
// Folders the page reaches besides web/ and build/: what `make demo-web` installs from npm
// (uPlot) and builds (the o1js apps, stock and on this module).
const MOUNTS = {
  '/build/': join(root, 'build/'),
  '/vendor/uplot/': join(root, '.tools/uplot/node_modules/uplot/dist/'),
  '/o1js/ours/': join(root, '.tools/o1js-web/dist/'),
  '/o1js/stock/': join(root, '.tools/o1js-web-stock/dist/'),
};

/**
 * A server for the page (or, with `dir`, for the files of that folder alone: a built web app);
 * resolves once it listens.
 */
export function serve({ port = 0, isolation = true, dir } = {}) {
  const mounts = dir ? { '/': join(dir, '/') } : { ...MOUNTS, '/': here };
  const server = createServer((req, res) => {
    let path = new URL(req.url, 'http://localhost').pathname;
    if (path.endsWith('/')) path += 'index.html';
    // The longest mount that starts the path; nothing outside its folder.
    const at = Object.keys(mounts)
      .filter((m) => path.startsWith(m))
      .sort((a, b) => b.length - a.length)[0];
    const file = normalize(join(mounts[at], path.slice(at.length)));
    if (!file.startsWith(mounts[at]) || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
    const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
    if (isolation) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    res.writeHead(200, headers).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: args } = parseArgs({ options: { port: { type: 'string', default: '8080' }, 'no-isolation': { type: 'boolean', default: false } } });
  const server = await serve({ port: Number(args.port), isolation: !args['no-isolation'] });
  console.log(`demo: http://127.0.0.1:${server.address().port}/ (${args['no-isolation'] ? 'single-threaded' : 'threaded: COOP/COEP on'}); Ctrl-C stops it`);
}
