/** VOC1: the protocol speaks the core's vocabulary; its schemas accept exactly the core's ids, modes and presets. */
import { describe, expect, it } from 'vitest';
import * as protocol from '../../server/protocol/index.ts';
import { CONSISTENCY_PRESETS, DATACENTERS, INCIDENT_SIZES, LINK_MODES, NODES, REJECT_CODES, STRATEGIES, createInitialState, presetOf, quorumStatus, step } from '../../server/sim/index.ts';

const { schemas } = protocol;

describe('one vocabulary', () => {
  it('[VOC1] the protocol re-exports the core vocabulary itself, not a copy', () => {
    expect(protocol.DC_IDS).toBe(DATACENTERS);
    expect(protocol.LINK_MODES).toBe(LINK_MODES);
    expect(protocol.STRATEGIES).toBe(STRATEGIES);
    expect(protocol.CONSISTENCY_PRESETS).toBe(CONSISTENCY_PRESETS);
    expect(protocol.NODE_IDS).toBe(NODES);
  });

  it('[VOC1] each schema accepts every core value and nothing else', () => {
    for (const mode of LINK_MODES) expect(schemas.adminPartition.safeParse({ mode }).success).toBe(true);
    expect(schemas.adminPartition.safeParse({ mode: 'sideways' }).success).toBe(false);
    for (const strategy of STRATEGIES) expect(schemas.adminStrategy.safeParse({ strategy }).success).toBe(true);
    expect(schemas.adminStrategy.safeParse({ strategy: 'coin-flip' }).success).toBe(false);
    for (const dc of DATACENTERS) expect(schemas.adminSkew.safeParse({ dc, skewMs: 0 }).success).toBe(true);
    expect(schemas.adminSkew.safeParse({ dc: 'north', skewMs: 0 }).success).toBe(false);
    expect(schemas.adminSkew.safeParse({ dc: 'west', skewMs: protocol.MAX_SKEW_MS + 1 }).success).toBe(false);
    for (const size of INCIDENT_SIZES) expect(schemas.adminIncident.safeParse({ size }).success).toBe(true);
    expect(schemas.adminIncident.safeParse({ size: 5_000 }).success).toBe(false);
  });

  it('[VOC1] every preset is what the core computes: the core names it, and its W and R are the state it sets', () => {
    for (const preset of protocol.CONSISTENCY_PRESETS) {
      expect(schemas.adminConsistency.safeParse({ w: preset.w, r: preset.r }).success).toBe(true);
      const result = step(createInitialState(1), { type: 'consistency.set', w: preset.w, r: preset.r }, { now: 1 });
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(result.state.consistency).toEqual({ w: preset.w, r: preset.r });
      expect(presetOf(result.state.consistency.w, result.state.consistency.r)).toBe(preset.id);
      expect(quorumStatus(result.state, 'west').w).toBe(preset.w);
    }
  });

  it('[VOC1] every core reject code is a wire error code the pages can show', () => {
    const wire: readonly protocol.ErrorCode[] = [...REJECT_CODES, ...protocol.TRANSPORT_ERROR_CODES];
    expect(new Set(wire).size).toBe(wire.length);
    for (const code of REJECT_CODES) expect(wire).toContain(code);
  });
});
