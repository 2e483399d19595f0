// The browser the e2e tests drive: Debian's Chromium through playwright-core (`npx playwright
// install` cannot run here). Where it is missing the tests skip, saying why; in CI (which
// installs it) a missing browser is a failure, never a silent skip.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe, it } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** Registers the skip message (or, in CI, a failing test) when Chromium is not there. */
export function requireChromium(suite: string): void {
  if (haveChromium) return;
  const message = `${suite} needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
  if (process.env.CI) {
    describe(suite, () => {
      it('has Chromium to drive', () => {
        throw new Error(message);
      });
    });
  } else {
    console.warn(`skipping: ${message}`);
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
