import { chromium, type Browser } from 'playwright-core';

/** Flags for a headless Chromium that never reaches out to the network on its own. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The system Chromium (Debian's package); a browser is never downloaded. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    return await chromium.launch({ executablePath, args: FLAGS, headless: true });
  } catch (error) {
    throw new Error(
      `could not start Chromium at ${executablePath} (install it with \`apt-get install chromium\` or set CHROMIUM_PATH): ${error}`
    );
  }
}
