export interface DetectionMetrics {
  /** Highest point-wise F1 over every threshold on the score (labels choose it: a ranking measure). */
  bestF1: number;
  /** Area under the precision-recall curve, as average precision. */
  aucPr: number;
  /** F1 of the detector's own flags (threshold from training data alone), with its precision and recall. */
  f1Flagged: number;
  precisionFlagged: number;
  recallFlagged: number;
  /** Best F1 after point adjustment (a segment counts as found if any of its points is flagged). */
  bestF1PointAdjusted: number;
}

/** Precision and recall at each distinct score, from the highest threshold down. */
function curve(scores: Float64Array, labels: Uint8Array): { precision: Float64Array; recall: Float64Array } {
  // Compared rather than subtracted: -Infinity - -Infinity is NaN, which would break the sort.
  const order = Array.from(scores.keys()).sort((a, b) => {
    const x = scores[a] as number;
    const y = scores[b] as number;
    return x === y ? 0 : x > y ? -1 : 1;
  });
  let positives = 0;
  for (const l of labels) {
    positives += l;
  }
  if (positives === 0) {
    throw new Error('labels contain no anomalies');
  }
  const precision: number[] = [];
  const recall: number[] = [];
  let tp = 0;
  order.forEach((index, rank) => {
    tp += labels[index] as number;
    const next = order[rank + 1];
    // Only the last of a run of equal scores is a threshold a detector can actually use.
    if (next === undefined || scores[next] !== scores[index]) {
      precision.push(tp / (rank + 1));
      recall.push(tp / positives);
    }
  });
  return { precision: Float64Array.from(precision), recall: Float64Array.from(recall) };
}

function bestF1(scores: Float64Array, labels: Uint8Array): number {
  const { precision, recall } = curve(scores, labels);
  let best = 0;
  precision.forEach((p, i) => {
    const r = recall[i] as number;
    if (p + r > 0) {
      best = Math.max(best, (2 * p * r) / (p + r));
    }
  });
  return best;
}

function averagePrecision(scores: Float64Array, labels: Uint8Array): number {
  const { precision, recall } = curve(scores, labels);
  let area = 0;
  let previous = 0;
  precision.forEach((p, i) => {
    const r = recall[i] as number;
    area += (r - previous) * p;
    previous = r;
  });
  return area;
}

/** Every point of a labelled segment takes the segment's highest score. */
function pointAdjusted(scores: Float64Array, labels: Uint8Array): Float64Array {
  const out = Float64Array.from(scores);
  let i = 0;
  while (i < labels.length) {
    if (labels[i] !== 1) {
      i++;
      continue;
    }
    let j = i;
    let top = Number.NEGATIVE_INFINITY;
    while (j < labels.length && labels[j] === 1) {
      top = Math.max(top, scores[j] as number);
      j++;
    }
    out.fill(top, i, j);
    i = j;
  }
  return out;
}

/**
 * Point-wise detection quality of a score series against 0/1 labels. Points the detector did
 * not score (warm-up) carry -Infinity: never flagged, ranked last.
 */
export function detectionMetrics(scores: Float64Array, flagged: Uint8Array, labels: Uint8Array): DetectionMetrics {
  if (scores.length !== labels.length || flagged.length !== labels.length) {
    throw new Error(`${scores.length} scores and ${flagged.length} flags for ${labels.length} labels`);
  }
  let tp = 0;
  let predicted = 0;
  let positives = 0;
  labels.forEach((l, i) => {
    positives += l;
    predicted += flagged[i] as number;
    tp += l & (flagged[i] as number);
  });
  const precisionFlagged = predicted === 0 ? 0 : tp / predicted;
  const recallFlagged = positives === 0 ? 0 : tp / positives;
  const f1Flagged = tp === 0 ? 0 : (2 * precisionFlagged * recallFlagged) / (precisionFlagged + recallFlagged);
  return {
    bestF1: bestF1(scores, labels),
    aucPr: averagePrecision(scores, labels),
    f1Flagged,
    precisionFlagged,
    recallFlagged,
    bestF1PointAdjusted: bestF1(pointAdjusted(scores, labels), labels),
  };
}
