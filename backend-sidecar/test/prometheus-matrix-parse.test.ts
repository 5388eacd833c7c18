import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeApiResponse } from '../src/prometheus/decodeApiResponse.js';
import { decodeResult } from '../src/prometheus/decodeResult.js';
import { parseMatrixResponse } from '../src/prometheus/parseMatrixResponse.js';

/** What the generic path (JSON.parse and decodeResult) makes of a successful answer. */
function generic(text: string): { result: unknown; warnings: readonly string[] } {
  const payload = decodeApiResponse(200, text, '/api/v1/query_range');
  const decoded = decodeResult(payload.data, payload.warnings, '/api/v1/query_range');
  return { result: decoded.result, warnings: decoded.warnings };
}

const HEAD = '{"status":"success","data":{"resultType":"matrix","result":';

describe('parseMatrixResponse', () => {
  const same: Array<[string, string]> = [
    ['an empty result', `${HEAD}[]}}`],
    [
      'several series',
      `${HEAD}[{"metric":{"client":"a","server":"b"},"values":[[1700000000,"0.25"],[1700000015,"1e-3"]]},{"metric":{"server":"c"},"values":[[1700000000,"7"]]}]}}`,
    ],
    ['a series without labels or points', `${HEAD}[{"metric":{},"values":[]}]}}`],
    [
      'special values and odd timestamps',
      `${HEAD}[{"metric":{"s":"x"},"values":[[1435781430.781,"NaN"],[-5,"+Inf"],[1e3,"-Inf"],[12345678901234567,"-0"],[0,"12.5e2"]]}]}}`,
    ],
    [
      'escaped and non-ASCII label values',
      `${HEAD}[{"metric":{"service":"a\\"b\\\\c\\u00e9","team":"équipe ✓","path":"/x\\n"},"values":[[1,"1"]]}]}}`,
    ],
    [
      'warnings and infos',
      `${HEAD}[{"metric":{"a":"1"},"values":[[1,"2"]]}]},"warnings":["w1","w\\"2"],"infos":["i"]}`,
    ],
  ];
  for (const [name, text] of same) {
    it(`reads ${name} as JSON.parse and the generic decoding do`, () => {
      const fast = parseMatrixResponse(text);
      assert.notEqual(fast, null, 'the fast path takes it');
      assert.deepEqual({ result: fast!.result, warnings: fast!.warnings }, generic(text));
    });
  }

  const declined: Array<[string, string]> = [
    ['an error answer', '{"status":"error","errorType":"bad_data","error":"parse error"}'],
    ['a vector', '{"status":"success","data":{"resultType":"vector","result":[]}}'],
    ['whitespace', `${HEAD}[ {"metric":{},"values":[]}]}}`],
    ['native histograms', `${HEAD}[{"metric":{},"histograms":[[1,{"count":"1"}]]}]}}`],
    ['an unknown field', `${HEAD}[]},"stats":{}}`],
    ['a __proto__ label', `${HEAD}[{"metric":{"__proto__":"x"},"values":[]}]}}`],
    ['an escaped sample value', `${HEAD}[{"metric":{},"values":[[1,"\\u0031"]]}]}}`],
    ['a hexadecimal timestamp', `${HEAD}[{"metric":{},"values":[[0x10,"1"]]}]}}`],
    ['a truncated answer', `${HEAD}[{"metric":{"a":"b"},"values":[[1,"2"]`],
    ['trailing text', `${HEAD}[]}}x`],
  ];
  for (const [name, text] of declined) {
    it(`leaves ${name} to the generic path`, () => {
      assert.equal(parseMatrixResponse(text), null);
    });
  }
});
