export interface OnsetItem {
  id: string;
  onset: number | null;
}

/** Services with an anomaly onset, earliest first (ties by name): the order the anomaly spread in. */
export function onsetOrder(items: readonly OnsetItem[]): Array<{ id: string; onset: number }> {
  return items
    .filter((item): item is { id: string; onset: number } => item.onset !== null)
    .map(({ id, onset }) => ({ id, onset }))
    .sort((a, b) => a.onset - b.onset || a.id.localeCompare(b.id));
}
