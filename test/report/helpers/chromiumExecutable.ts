import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { unpackPackagedChromium } from './unpackPackagedChromium.js';

/** Debian's Chromium (`apt-get install chromium`), used when the machine has it. */
const debianChromium = '/usr/bin/chromium';

/**
 * The Chromium the HTML report test drives, in this order: `CHROMIUM_PATH` when set (and then it must exist), Debian's
 * `/usr/bin/chromium` when present, else the binary of the `@sparticuz/chromium` devDependency, so `npm ci` is all a
 * fresh machine needs. Throws, naming the path, when CHROMIUM_PATH points at nothing: the test fails then, never skips.
 */
export async function chromiumExecutable(): Promise<string> {
  const configured = process.env['CHROMIUM_PATH'];
  if (configured !== undefined && configured !== '') {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH is ${configured}, and there is no file there: point it at a Chromium binary, or unset it to use the one @sparticuz/chromium ships.`);
    return configured;
  }
  if (existsSync(debianChromium)) return debianChromium;
  return unpackPackagedChromium(tmpdir());
}
