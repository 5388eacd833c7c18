import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  DEFAULT_INCIDENT_CONFIG,
  IncidentConfigError,
  IncidentEngine,
  resolveIncidentConfig,
  type IncidentConfigInput,
} from '../src/incidents/index.js';

function rejects(input: IncidentConfigInput, key: string, message: RegExp): void {
  assert.throws(
    () => resolveIncidentConfig(input),
    (e: unknown) => {
      assert.ok(e instanceof IncidentConfigError, `expected IncidentConfigError, got ${String(e)}`);
      assert.equal(e.key, key);
      assert.match(e.message, message);
      assert.ok(e.message.includes(`"${key}"`), `message names the key: ${e.message}`);
      return true;
    }
  );
}

describe('incident config', () => {
  it('defaults are valid and documented values', () => {
    const config = resolveIncidentConfig();
    assert.deepEqual(
      { ...config, entityThresholds: { ...config.entityThresholds } },
      {
        gain: 1,
        leak: 2,
        cap: 20,
        entityThreshold: 6,
        entityThresholds: {},
        openThreshold: 10,
        closeThreshold: 4,
        sev1MinEntities: 2,
        chainAware: false,
        idPrefix: 'inc-',
      }
    );
    assert.ok(Object.isFrozen(config));
    assert.equal(resolveIncidentConfig(DEFAULT_INCIDENT_CONFIG).openThreshold, 10);
  });

  it('merges overrides over the defaults', () => {
    const config = resolveIncidentConfig({ openThreshold: 12, entityThresholds: { payments: 3 } });
    assert.equal(config.openThreshold, 12);
    assert.equal(config.closeThreshold, 4);
    assert.equal(config.entityThresholds.payments, 3);
  });

  it('rejects each invalid value naming its key', () => {
    rejects({ gain: 0 }, 'gain', /must be > 0 \(got 0\)/);
    rejects({ gain: Number.NaN }, 'gain', /finite number/);
    rejects({ leak: -1 }, 'leak', />= 0/);
    rejects({ entityThreshold: 0 }, 'entityThreshold', /> 0/);
    rejects({ closeThreshold: -1 }, 'closeThreshold', />= 0/);
    rejects({ closeThreshold: 10 }, 'closeThreshold', /must be < openThreshold \(10 >= 10\)/);
    rejects({ closeThreshold: 12 }, 'closeThreshold', /must be < openThreshold/);
    rejects({ cap: 5 }, 'cap', /must be >= entityThreshold \(5 < 6\)/);
    rejects({ cap: 8 }, 'cap', /must be >= openThreshold \(8 < 10\)/);
    rejects({ entityThresholds: { payments: 25 } }, 'entityThresholds.payments', /must be <= cap/);
    rejects({ entityThresholds: { payments: 0 } }, 'entityThresholds.payments', /> 0/);
    rejects({ sev1MinEntities: 1 }, 'sev1MinEntities', /integer >= 2 \(got 1\)/);
    rejects({ sev1MinEntities: 2.5 }, 'sev1MinEntities', /integer >= 2/);
    rejects({ chainAware: 'yes' as unknown as boolean }, 'chainAware', /true or false/);
    rejects({ openTreshold: 3 } as IncidentConfigInput, 'openTreshold', /unknown key/);
  });

  it('is validated when an engine is built', () => {
    assert.throws(() => new IncidentEngine({ leak: -0.5 }), IncidentConfigError);
  });
});
