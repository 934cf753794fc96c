/** The deterministic core. Adapters import from here only. */
export * from './types.ts';
export { compareVV, vvCovers, mergeVV, bumpVV, formatVV, ZERO_VV, type VvOrder } from './vv.ts';
export { applyOp, applyOps, compareStamps, likeCount, CLASS_AUTHOR, PINNED_TEXT } from './replica.ts';
export * from './vocab.ts';
export { nextDeliveryAt, heldCounts, inFlightMessages, inFlightCounts, currentLatency } from './network.ts';
export { heal, previewHeal, compareLww, whoChooses } from './heal.ts';
export { quorumStatus, reachableNodes, type QuorumStatus } from './quorum.ts';
export { divergence, type Divergence } from './divergence.ts';
export { step, replay, replayStep, startIncident, ownCollections, releaseCollections, createInitialState, isApplied, wallClock, DEFAULT_LINK, INSTRUCTOR, type PostCommand, type ReplayStepResult } from './step.ts';
export { recordTimeline, timelineRecorder, EMPTY_TIMELINE, TIMELINE_LIMIT, type Timeline, type TimelineOp, type TimelineBand } from './timeline.ts';
export { snapshotOf, stateFromSnapshot, type JsonValue } from './snapshot.ts';
export { NO_REWIND, type RewindLedger, type HealAttempt, type ReplayRefusal } from './rewind.ts';
export { incidentScript, incidentPlan, incidentSteps, INCIDENT_SIZES, INCIDENT_SPLIT_MS, MAX_INCIDENT_SIZE, type IncidentSize, type IncidentStep, type IncidentRun, type IncidentProgress } from './incident.ts';
