import { resolveRankOptions } from './resolveRankOptions.js';
import { summariseSignal, type WindowIndex } from './summariseSignal.js';
import type {
  EdgeEvidence,
  Explanation,
  OnsetOrderEvidence,
  RankOptions,
  RootCauseCandidate,
  RootCauseInput,
  RootCauseRanking,
  SignalDeviation,
  SignalEvidence,
  SignalRole,
  SilenceEvidence,
} from './types.js';
import { validateRootCauseInput } from './validateRootCauseInput.js';

const RESOURCE_ROLES: ReadonlySet<SignalRole> = new Set(['resource', 'other']);
const OWN_SYMPTOM_ROLES: ReadonlySet<SignalRole> = new Set(['latency', 'errors']);
const OUTBOUND_ROLES: ReadonlySet<SignalRole> = new Set(['outbound_latency', 'outbound_errors']);

/** Per-entity facts gathered once, before any neighbour is looked at. */
interface EntityFacts {
  signals: SignalEvidence[];
  /** Some non-context signal has a known value in the window. */
  known: boolean;
  /** Strongest raw peak of any non-context signal: "is this entity anomalous at all". */
  maxPeak: number;
  /** Onset of its decisive signals (see decisiveOnset), unix seconds. */
  onset: number | null;
}

interface EdgeFacts extends EntityFacts {
  client: string;
  server: string;
  /** Strongest weighted latency/errors signal: what the client experiences of this call. */
  score: number;
  scoreOnset: number | null;
  serverShare: number;
}

function edgeKey(client: string, server: string): string {
  return `${client}\u0000${server}`;
}

function isoTime(t: number | null): string {
  return t === null ? 'unknown' : new Date(t * 1000).toISOString().replace('.000Z', 'Z');
}

function fmt(x: number): string {
  if (x >= 100) {
    return x.toFixed(0);
  }
  if (x >= 10) {
    return x.toFixed(1);
  }
  return x.toFixed(2);
}

function earliest(...onsets: Array<number | null>): number | null {
  let best: number | null = null;
  for (const o of onsets) {
    if (o !== null && (best === null || o < best)) {
      best = o;
    }
  }
  return best;
}

function collectFacts(
  signals: Readonly<Record<string, SignalDeviation>>,
  timestamps: readonly number[],
  window: WindowIndex,
  options: RankOptions
): EntityFacts {
  const evidence: SignalEvidence[] = [];
  let known = false;
  let maxPeak = 0;
  for (const name of Object.keys(signals).sort()) {
    const signal = signals[name] as SignalDeviation;
    if (signal.role === 'context') {
      continue;
    }
    const summary = summariseSignal(signal.deviation, signal.badDirection, window, options.minSteps);
    if (summary.knownFraction > 0) {
      known = true;
    }
    const signalOnset = summary.onsetIndex >= 0 ? (timestamps[summary.onsetIndex] as number) : null;
    evidence.push({
      signal: name,
      role: signal.role,
      peak: summary.peak,
      onset: signalOnset,
      preexisting: summary.preexisting,
      weight: summary.peak * (summary.preexisting ? options.preexistingWeight : 1),
    });
    maxPeak = Math.max(maxPeak, summary.peak);
  }
  const onset = decisiveOnset(
    evidence.map((x) => ({ value: x.peak, onset: x.onset })),
    options.clearDeviation
  );
  evidence.sort((a, b) => b.weight - a.weight || a.signal.localeCompare(b.signal));
  return { signals: evidence, known, maxPeak, onset };
}

interface Timed {
  value: number;
  onset: number | null;
}

/**
 * Onset of the evidence that matters: the earliest among items that are clear (at least
 * `clear`), or, when none is, among the strongest. A faint deviation of some unrelated signal a
 * minute earlier must not make a service look like it turned anomalous first.
 */
function decisiveOnset(items: readonly Timed[], clear: number): number | null {
  const max = Math.max(0, ...items.map((i) => i.value));
  if (max <= 1) {
    return null;
  }
  const bar = Math.min(clear, max);
  return earliest(...items.filter((i) => i.value >= bar).map((i) => i.onset));
}

/** Strongest weighted signal among `roles`, with its onset. */
function strongest(facts: EntityFacts, roles: ReadonlySet<SignalRole>): { value: number; onset: number | null } {
  let value = 0;
  let onset: number | null = null;
  for (const s of facts.signals) {
    if (roles.has(s.role) && s.weight > value) {
      value = s.weight;
      onset = s.onset;
    }
  }
  return { value, onset };
}

/**
 * Finds the first run of `minSteps` window points where the service reported nothing at all,
 * after having reported something earlier in the series. Returns the run's first index or -1.
 */
function noDataRun(signals: Readonly<Record<string, SignalDeviation>>, window: WindowIndex, minSteps: number): number {
  const usable = Object.values(signals).filter((s) => s.role !== 'context');
  if (usable.length === 0) {
    return -1;
  }
  const silentAt = (i: number) => usable.every((s) => !Number.isFinite(s.deviation[i]));
  let firstReport = -1;
  for (let i = 0; i <= window.last && firstReport < 0; i++) {
    if (!silentAt(i)) {
      firstReport = i;
    }
  }
  if (firstReport < 0) {
    return -1;
  }
  let run = 0;
  for (let i = Math.max(window.first, firstReport + 1); i <= window.last; i++) {
    run = silentAt(i) ? run + 1 : 0;
    if (run >= minSteps) {
      return i - run + 1;
    }
  }
  return -1;
}

/** First index in the window where some traffic signal stays below normal for minSteps points. */
function trafficDropRun(
  signals: Readonly<Record<string, SignalDeviation>>,
  window: WindowIndex,
  minSteps: number
): number {
  let best = -1;
  for (const s of Object.values(signals)) {
    if (s.role !== 'traffic') {
      continue;
    }
    const summary = summariseSignal(s.deviation, 'down', window, minSteps);
    if (summary.onsetIndex >= 0 && (best < 0 || summary.onsetIndex < best)) {
      best = summary.onsetIndex;
    }
  }
  return best;
}

/**
 * Ranks the services of a call graph by how likely each is where an incident started. See
 * README.md in this folder for the evidence terms and why they combine the way they do.
 */
export function rankRootCauses(input: RootCauseInput, options: Partial<RankOptions> = {}): RootCauseRanking {
  const opts = resolveRankOptions(options);
  const { step, window, services, calls, notes } = validateRootCauseInput(input, opts);
  const ts = input.timestamps;
  const clear = opts.clearDeviation;
  const confidence = (v: number) => Math.min(1, Math.max(0, (v - 1) / (clear - 1)));

  const callers = new Map<string, string[]>();
  const callees = new Map<string, string[]>();
  for (const s of services) {
    callers.set(s, []);
    callees.set(s, []);
  }
  for (const { client, server } of calls) {
    callees.get(client)?.push(server);
    callers.get(server)?.push(client);
  }
  for (const list of [...callers.values(), ...callees.values()]) {
    list.sort();
  }

  const facts = new Map<string, EntityFacts>();
  for (const s of services) {
    facts.set(s, collectFacts(input.services[s]?.signals ?? {}, ts, window, opts));
  }

  // Edge facts; the client-experienced latency/errors of a call is the edge's score.
  const edges = new Map<string, EdgeFacts>();
  for (const edge of input.edges ?? []) {
    const f = collectFacts(edge.signals, ts, window, opts);
    const best = strongest(f, OWN_SYMPTOM_ROLES);
    edges.set(edgeKey(edge.client, edge.server), {
      ...f,
      client: edge.client,
      server: edge.server,
      score: best.value,
      scoreOnset: best.onset,
      serverShare: 0.5,
    });
  }

  // Edge attribution. A slow call is the server's doing when the server's other callers see it
  // too, the client's when the client's other calls are slow as well (its own network or
  // sidecar). The shares are the mean confidence over the known edges on each side.
  const meanConfidence = (keys: string[]): number => {
    const known = keys.map((k) => edges.get(k)).filter((e): e is EdgeFacts => e !== undefined && e.known);
    if (known.length === 0) {
      return 0;
    }
    return known.reduce((sum, e) => sum + confidence(e.score), 0) / known.length;
  };
  for (const e of edges.values()) {
    const inbound = meanConfidence((callers.get(e.server) ?? []).map((c) => edgeKey(c, e.server)));
    const outbound = meanConfidence((callees.get(e.client) ?? []).map((d) => edgeKey(e.client, d)));
    e.serverShare = inbound + outbound > 0 ? inbound / (inbound + outbound) : 0.5;
  }

  // Silence: no data, or traffic below normal, while callers see trouble with their calls to it.
  const silence = new Map<string, SilenceEvidence>();
  for (const s of services) {
    const signals = input.services[s]?.signals ?? {};
    const noData = noDataRun(signals, window, opts.minSteps);
    const drop = noData >= 0 ? -1 : trafficDropRun(signals, window, opts.minSteps);
    const index = noData >= 0 ? noData : drop;
    if (index < 0) {
      continue;
    }
    const since = ts[index] as number;
    let corroboration = 0;
    const corroboratedBy: string[] = [];
    for (const c of callers.get(s) ?? []) {
      const edge = edges.get(edgeKey(c, s));
      let value = edge?.known ? edge.score : 0;
      let onset = edge?.known ? edge.scoreOnset : null;
      // Without a measured edge, a caller's own view of its outbound calls stands in; a traffic
      // drop alone needs the edge, because a broken caller also lowers its callees' traffic.
      if (!edge?.known && noData >= 0) {
        const outbound = strongest(facts.get(c) as EntityFacts, OUTBOUND_ROLES);
        value = outbound.value;
        onset = outbound.onset;
      }
      // The callers' trouble must not precede the silence: then the silence is their effect.
      if (value > 1 && (onset === null || onset >= since - step)) {
        corroboratedBy.push(c);
        corroboration = Math.max(corroboration, value);
      }
    }
    silence.set(s, { kind: noData >= 0 ? 'no_data' : 'traffic_drop', since, corroboratedBy, corroboration });
  }

  interface Working {
    resource: { value: number; onset: number | null };
    symptom: number;
    symptomOnset: number | null;
    silence: number;
    onset: number | null;
    inEdges: EdgeFacts[];
    outEdges: EdgeFacts[];
  }
  const work = new Map<string, Working>();
  for (const s of services) {
    const f = facts.get(s) as EntityFacts;
    const resource = strongest(f, RESOURCE_ROLES);
    const symptomItems: Timed[] = f.signals
      .filter((x) => OWN_SYMPTOM_ROLES.has(x.role))
      .map((x) => ({ value: x.weight, onset: x.onset }));
    // Slow or failing outbound calls point at the callees. They count against the service itself
    // only when it has callees in the graph, so that the explanation step can clear it when one
    // of them is to blame; otherwise (no graph, or calls to things outside it) they cannot be
    // placed and are listed without being scored.
    if ((callees.get(s) ?? []).length > 0) {
      for (const x of f.signals) {
        if (OUTBOUND_ROLES.has(x.role)) {
          symptomItems.push({ value: x.weight, onset: x.onset });
        }
      }
    }
    const inEdges: EdgeFacts[] = [];
    for (const c of callers.get(s) ?? []) {
      const e = edges.get(edgeKey(c, s));
      if (e) {
        inEdges.push(e);
        symptomItems.push({ value: e.score * e.serverShare, onset: e.scoreOnset });
      }
    }
    const outEdges: EdgeFacts[] = [];
    for (const d of callees.get(s) ?? []) {
      const e = edges.get(edgeKey(s, d));
      if (e) {
        outEdges.push(e);
        symptomItems.push({ value: e.score * (1 - e.serverShare), onset: e.scoreOnset });
      }
    }
    const symptom = Math.max(0, ...symptomItems.map((x) => x.value));
    const symptomOnset = decisiveOnset(symptomItems, clear);
    const sil = silence.get(s);
    const silenceScore = sil ? sil.corroboration : 0;
    const onset = decisiveOnset(
      [
        ...f.signals.map((x) => ({ value: x.peak, onset: x.onset })),
        ...symptomItems,
        { value: silenceScore, onset: sil?.since ?? null },
      ],
      clear
    );
    work.set(s, { resource, symptom, symptomOnset, silence: silenceScore, onset, inEdges, outEdges });
  }

  // Explanation by callees: a service's latency and errors are discounted by the clearest
  // anomaly among the services it calls that started no later than its own symptoms. Measured
  // edges are the direct evidence; only without them does the callee's own state stand in.
  const explanations = new Map<string, Explanation | null>();
  for (const s of services) {
    const w = work.get(s) as Working;
    let best: Explanation | null = null;
    for (const d of callees.get(s) ?? []) {
      const e = edges.get(edgeKey(s, d));
      let value: number;
      let onset: number | null;
      if (e?.known) {
        value = e.score * e.serverShare;
        onset = e.scoreOnset;
      } else {
        const wd = work.get(d) as Working;
        const ownD = strongest(facts.get(d) as EntityFacts, OWN_SYMPTOM_ROLES);
        const candidates = [
          { value: wd.resource.value, onset: wd.resource.onset },
          { value: ownD.value, onset: ownD.onset },
          { value: wd.silence, onset: silence.get(d)?.since ?? null },
        ].sort((a, b) => b.value - a.value);
        value = (candidates[0] as { value: number }).value;
        onset = (candidates[0] as { onset: number | null }).onset;
      }
      const mine = w.symptomOnset;
      if (mine !== null && onset !== null) {
        // A callee that turned anomalous later cannot have caused this service's symptoms.
        if (onset > mine + step) {
          continue;
        }
        // In a call cycle the explanation must be strictly earlier, or both would cancel out.
        if ((callers.get(s) ?? []).includes(d) && !(onset < mine)) {
          continue;
        }
      }
      const c = confidence(value);
      if (c > 0 && (best === null || c > best.confidence)) {
        best = { service: d, confidence: c, onset };
      }
    }
    explanations.set(s, best);
  }

  const candidates: RootCauseCandidate[] = services.map((s) => {
    const f = facts.get(s) as EntityFacts;
    const w = work.get(s) as Working;
    const explainedBy = explanations.get(s) ?? null;
    const symptomAfter = w.symptom * (1 - (explainedBy?.confidence ?? 0));
    const channels: Array<[RootCauseCandidate['channel'], number]> = [
      ['resource', w.resource.value],
      ['symptom', symptomAfter],
      ['silence', w.silence],
    ];
    let channel: RootCauseCandidate['channel'] = 'none';
    let score = 0;
    for (const [name, value] of channels) {
      if (value > score) {
        score = value;
        channel = name;
      }
    }
    const sil = silence.get(s) ?? null;
    const unknown = !f.known && sil === null;
    const toEdgeEvidence = (e: EdgeFacts): EdgeEvidence => ({
      client: e.client,
      server: e.server,
      score: e.score,
      onset: e.scoreOnset,
      serverShare: e.serverShare,
      signals: e.signals.filter((x) => x.peak > 1).slice(0, opts.maxEvidenceItems),
    });
    const anomalousEdges = (list: EdgeFacts[]) =>
      list
        .filter((e) => e.score > 1)
        .sort((a, b) => b.score - a.score || a.client.localeCompare(b.client) || a.server.localeCompare(b.server))
        .slice(0, opts.maxEvidenceItems)
        .map(toEdgeEvidence);
    return {
      service: s,
      rank: 0,
      score,
      channel,
      resourceScore: w.resource.value,
      symptomScore: w.symptom,
      silenceScore: w.silence,
      onset: w.onset,
      unknown,
      signals: f.signals.filter((x) => x.peak > 1).slice(0, opts.maxEvidenceItems),
      inEdges: anomalousEdges(w.inEdges),
      outEdges: anomalousEdges(w.outEdges),
      explainedBy,
      onsetOrder: onsetOrder(s, w.onset),
      silence: sil,
      summary: '',
    };
  });

  function onsetOrder(s: string, mine: number | null): OnsetOrderEvidence {
    const out: OnsetOrderEvidence = {
      callersAfter: [],
      callersBefore: [],
      calleesBefore: [],
      calleesAfter: [],
      calleesNormal: [],
      calleesUnknown: [],
    };
    // Anomalous means any evidence above the edge of normal: own signals, calls attributed to
    // it, or corroborated silence; its decisive onset is then set. Onsets within one step count
    // as simultaneous: at the grid's resolution their order is not known.
    const anomalyOf = (n: string) => {
      const onset = work.get(n)?.onset ?? null;
      return { anomalous: onset !== null, onset, known: (facts.get(n) as EntityFacts).known };
    };
    for (const c of callers.get(s) ?? []) {
      const a = anomalyOf(c);
      if (!a.anomalous) {
        continue;
      }
      if (mine === null || a.onset === null || a.onset >= mine - step) {
        out.callersAfter.push(c);
      } else {
        out.callersBefore.push(c);
      }
    }
    for (const d of callees.get(s) ?? []) {
      const a = anomalyOf(d);
      if (!a.known && !a.anomalous) {
        out.calleesUnknown.push(d);
      } else if (!a.anomalous) {
        out.calleesNormal.push(d);
      } else if (mine !== null && a.onset !== null && a.onset > mine + step) {
        out.calleesAfter.push(d);
      } else {
        out.calleesBefore.push(d);
      }
    }
    return out;
  }

  candidates.sort((a, b) => {
    if (b.score !== a.score) {
      return b.score - a.score;
    }
    const ao = a.onset ?? Number.POSITIVE_INFINITY;
    const bo = b.onset ?? Number.POSITIVE_INFINITY;
    if (ao !== bo) {
      return ao - bo;
    }
    return a.service < b.service ? -1 : a.service > b.service ? 1 : 0;
  });
  candidates.forEach((c, i) => {
    c.rank = i + 1;
    c.summary = summarise(c);
  });

  return {
    alertTime: input.alertTime,
    window: { start: ts[window.first] as number, end: ts[window.last] as number, step },
    candidates,
    notes,
  };
}

function summarise(c: RootCauseCandidate): string {
  if (c.unknown) {
    return `${c.service}: no data in the window, cannot be judged`;
  }
  if (c.score === 0) {
    return `${c.service}: no evidence (all signals within normal)`;
  }
  const parts: string[] = [`${c.service}: score ${fmt(c.score)} from ${c.channel}`];
  if (c.channel === 'silence' && c.silence) {
    parts.push(
      `${c.silence.kind === 'no_data' ? 'stopped reporting' : 'lost its traffic'} at ${isoTime(c.silence.since)} while ${c.silence.corroboratedBy.join(', ')} saw failing or slow calls to it`
    );
  } else {
    const drivers = c.signals
      .slice(0, 3)
      .map((s) => `${s.signal} ${fmt(s.peak)}${s.preexisting ? ' (already before the window)' : ''}`);
    if (drivers.length > 0) {
      parts.push(`signals ${drivers.join(', ')}`);
    }
    const edgeText = c.inEdges.slice(0, 3).map((e) => `${e.client}->${e.server} ${fmt(e.score)}`);
    if (edgeText.length > 0) {
      parts.push(`calls to it ${edgeText.join(', ')}`);
    }
  }
  parts.push(`onset ${isoTime(c.onset)}`);
  const o = c.onsetOrder;
  if (o.callersAfter.length > 0) {
    parts.push(`callers anomalous at or after it: ${o.callersAfter.join(', ')}`);
  }
  if (o.callersBefore.length > 0) {
    parts.push(`callers anomalous before it: ${o.callersBefore.join(', ')}`);
  }
  if (o.calleesBefore.length > 0) {
    parts.push(`callees anomalous no later: ${o.calleesBefore.join(', ')}`);
  }
  if (o.calleesNormal.length > 0 && o.calleesBefore.length === 0) {
    parts.push('callees normal');
  }
  if (c.explainedBy) {
    parts.push(`symptoms ${Math.round(c.explainedBy.confidence * 100)}% explained by callee ${c.explainedBy.service}`);
  }
  return parts.join('; ');
}
