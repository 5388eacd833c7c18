export interface Readiness {
  readonly ready: boolean;
  /** Why not, in words an operator can act on; empty when ready. */
  readonly reasons: readonly string[];
}

/** Answers /readyz. */
export interface ReadinessProvider {
  check(): Readiness;
}
