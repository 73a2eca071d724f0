/**
 * A real browser for the docs page: Debian's `chromium` (installed by `.ci/run` when missing),
 * driven by puppeteer-core, which downloads no browser of its own. Headless, with the flags
 * that keep it quiet on a CI machine (no sandbox, no GPU, no background traffic to Google)
 * and a fresh profile that is removed when the browser closes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Where a Chromium may be: `CHROMIUM_PATH` first, then Debian's package and the usual names on PATH. */
const candidates = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/** The Chromium executable to drive, or undefined when this machine has none. */
export function findChromium(): string | undefined {
  const named = process.env.CHROMIUM_PATH;
  if (named) return existsSync(named) ? named : undefined;
  for (const name of candidates) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (path) return path;
    } catch {
      // Not on PATH: try the next name.
    }
  }
  return undefined;
}

const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A headless Chromium on a profile of its own; the profile is removed once the browser
 * process has exited. On `disconnected` the process may still be writing into it (seen: a
 * removal failing with ENOTEMPTY that failed the test run), so the removal waits for the
 * exit and retries.
 */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'flowplane-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [...flags, `--user-data-dir=${profile}`],
  });
  const removeProfile = () => rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  const child = browser.process();
  if (child && child.exitCode === null) child.once('exit', removeProfile);
  else browser.once('disconnected', removeProfile);
  return browser;
}
