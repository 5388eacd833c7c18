import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

import * as etsModule from '@bsull/augurs/ets';
import * as mstlModule from '@bsull/augurs/mstl';
import * as prophetModule from '@bsull/augurs/prophet';
import * as seasonsModule from '@bsull/augurs/seasons';
// The Stan optimiser is a WebAssembly component whose generated glue compiles its own .wasm
// files from beside itself (with fs in Node) during module evaluation, so importing it is enough.
import { optimizer } from '@bsull/augurs-prophet-wasmstan';

/** The parts of augurs the forecasters use, ready to call. */
export interface Augurs {
  readonly MSTL: typeof mstlModule.MSTL;
  readonly AutoETS: typeof etsModule.AutoETS;
  readonly Prophet: typeof prophetModule.Prophet;
  readonly seasonalities: typeof seasonsModule.seasonalities;
  readonly prophetOptimizer: typeof optimizer;
}

interface WasmBindgenModule {
  initSync(input: { module: Uint8Array }): unknown;
}

const require = createRequire(import.meta.url);

/**
 * The augurs bindings are built for browsers and bundlers: their default initialiser fetches
 * `<name>_bg.wasm` by URL, which Node's fetch cannot do for file URLs. Each binding also exports
 * `initSync`, which takes the module bytes; we read them from the installed package beside the
 * binding's own JavaScript, so nothing is fetched and the versions always match.
 */
async function initBinding(name: string, module: WasmBindgenModule): Promise<void> {
  const entry = require.resolve(`@bsull/augurs/${name}`);
  const wasmPath = entry.replace(/\.js$/, '_bg.wasm');
  let bytes: Buffer;
  try {
    bytes = await readFile(wasmPath);
  } catch (cause) {
    throw new Error(`augurs: cannot read ${name}_bg.wasm next to ${name}.js (is @bsull/augurs installed?)`, { cause });
  }
  // initSync returns early when the binding is already initialised, so loading twice is cheap
  // and the one module-level instance inside the glue is shared by every caller.
  module.initSync({ module: bytes });
}

/**
 * Initialises the augurs WebAssembly modules in Node and returns their entry points. Safe to
 * call more than once (later calls reuse the initialised instances).
 */
export async function loadAugurs(): Promise<Augurs> {
  await Promise.all([
    initBinding('mstl', mstlModule),
    initBinding('ets', etsModule),
    initBinding('prophet', prophetModule),
    initBinding('seasons', seasonsModule),
  ]);
  return Object.freeze({
    MSTL: mstlModule.MSTL,
    AutoETS: etsModule.AutoETS,
    Prophet: prophetModule.Prophet,
    seasonalities: seasonsModule.seasonalities,
    prophetOptimizer: optimizer,
  });
}
