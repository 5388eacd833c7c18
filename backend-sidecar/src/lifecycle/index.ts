/** Start/stop ordering of the sidecar's components and the readiness they report. */
export { Lifecycle } from './Lifecycle.js';
export type { Component, LifecycleState, LifecycleTimers, StopReport } from './Lifecycle.js';
export { ReadinessTracker } from './ReadinessTracker.js';
export type { ReadinessTrackerOptions } from './ReadinessTracker.js';
export type { Readiness, ReadinessProvider } from './ReadinessProvider.js';
