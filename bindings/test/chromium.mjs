// Headless Chromium (Debian's), driven by playwright-core, for the browser tests: a fresh, empty
// profile each run and flags that keep it off the (closed) network. Not a test file itself.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or false. */
export const chromiumAbsent = () => (existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install chromium)`);

/** Opens `url`, waits until the page sets `window.__results`, and returns them. */
export async function pageResults(url, { timeout = 30_000, log } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'kh-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc'],
  });
  try {
    const page = await context.newPage();
    if (log) page.on('console', (m) => log(m.text()));
    // A page whose module fails to load never sets its results: fail with its error, not a timeout.
    let pageError;
    page.on('pageerror', (e) => { pageError ??= e; });
    await page.goto(url);
    try {
      await page.waitForFunction(() => window.__results !== undefined, null, { timeout, polling: 250 });
    } catch (e) {
      throw pageError ? new Error(`${url}: ${pageError.message}`) : e;
    }
    return await page.evaluate(() => window.__results);
  } finally {
    // A page whose thread spins for good (stock o1js on the page, its worker gone) keeps the
    // browser from closing: after a while its processes (found by the profile) are killed.
    const closed = await Promise.race([context.close().then(() => true, () => true), new Promise((r) => setTimeout(r, 15_000, false))]);
    if (!closed) {
      try {
        execFileSync('pkill', ['-9', '-f', profile]);
      } catch {
        // Gone meanwhile.
      }
    }
  }
}
