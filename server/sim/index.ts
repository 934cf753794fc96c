/** The deterministic core. Adapters import from here only. */
export * from './types.ts';
export { compareVV, vvCovers, mergeVV, bumpVV, formatVV, ZERO_VV, type VvOrder } from './vv.ts';
export { applyOp, compareStamps, likeCount, CLASS_AUTHOR, PINNED_TEXT } from './replica.ts';
export { otherDc, nextDeliveryAt } from './network.ts';
export { step, replay, createInitialState, isApplied, wallClock, DEFAULT_LINK } from './step.ts';
