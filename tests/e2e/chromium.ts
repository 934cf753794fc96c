/** Which Chromium the browser tests drive: $CHROMIUM_PATH, Debian's, or one Playwright downloaded. */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // Playwright has no browser of its own here: fine, the system's will do.
  }
  return candidates.find((path): path is string => !!path && existsSync(path)) ?? null;
}

export const HOW_TO_GET_CHROMIUM =
  'No Chromium found: install one (Debian: `apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium binary.';
