import type { IdentityEntry, PresetDocument, SignalEntry } from './types.js';

/**
 * Applies `override` (a file that `extends` a preset) on top of `base`. Scalars given in the
 * override replace the base's; label maps merge key by key; a signal set to null is removed; a
 * signal given in part (say only `labels`) keeps the base's other fields, so a user can retarget
 * one label without copying the query. The result lists both files so errors can name either.
 */
export function mergePresetDocuments(base: PresetDocument, override: PresetDocument): PresetDocument {
  const signals = new Map<string, SignalEntry | null>();
  for (const [key, entry] of base.signals) {
    if (entry !== null) {
      signals.set(key, entry);
    }
  }
  for (const [key, entry] of override.signals) {
    if (entry === null) {
      signals.delete(key);
      continue;
    }
    const inherited = signals.get(key);
    signals.set(key, inherited ? mergeEntry(inherited, entry) : entry);
  }
  const labels = { ...base.defaults.labels, ...override.defaults.labels };
  const namespaceLabel = override.defaults.namespaceLabel ?? base.defaults.namespaceLabel;
  const source = override.source ?? base.source;
  const description = override.description ?? base.description;
  const references = override.references ?? base.references;
  const identity = mergeIdentity(base.identity, override.identity);
  return {
    file: `${base.file} + ${override.file}`,
    ...(identity !== undefined ? { identity } : {}),
    ...(source !== undefined ? { source } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(references !== undefined ? { references } : {}),
    defaults: {
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...(namespaceLabel !== undefined ? { namespaceLabel } : {}),
    },
    signals,
    location: override.location,
  };
}

function mergeEntry(base: SignalEntry, override: SignalEntry): SignalEntry {
  const labels = base.labels || override.labels ? { ...base.labels, ...override.labels } : undefined;
  // The query's location follows the query: a label-only override keeps pointing at the base file.
  const queryFromOverride = override.query !== undefined;
  const merged: SignalEntry = {
    ...base,
    ...override,
    ...(labels !== undefined ? { labels } : {}),
    location: override.location,
  };
  if (queryFromOverride && override.namespaceLabel === undefined) {
    // The base's namespace label belonged to the base's query; a new query falls back to the
    // defaults unless it names its own.
    const { namespaceLabel: _dropped, ...rest } = merged;
    return rest;
  }
  if (!queryFromOverride) {
    return {
      ...merged,
      ...(base.query !== undefined ? { query: base.query } : {}),
      ...(base.queryLocation !== undefined ? { queryLocation: base.queryLocation } : {}),
      ...(base.queryIsBlock !== undefined ? { queryIsBlock: base.queryIsBlock } : {}),
    };
  }
  return merged;
}

/** Fields given in the override replace the base's; null removes the identity. */
function mergeIdentity(
  base: IdentityEntry | null | undefined,
  override: IdentityEntry | null | undefined
): IdentityEntry | null | undefined {
  if (override === undefined) {
    return base;
  }
  if (override === null || base === undefined || base === null) {
    return override;
  }
  const merged: IdentityEntry = { ...base, ...override };
  if (override.query === undefined) {
    return {
      ...merged,
      ...(base.queryLocation !== undefined ? { queryLocation: base.queryLocation } : {}),
      ...(base.queryIsBlock !== undefined ? { queryIsBlock: base.queryIsBlock } : {}),
    };
  }
  return merged;
}
