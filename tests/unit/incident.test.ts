import { describe, expect, it } from 'vitest';
import { INCIDENT_SPLIT_MS, incidentPlan, incidentScript, type IncidentStep } from '../../server/sim/incident.ts';
import type { DcId } from '../../server/sim/index.ts';

function collect(seed: number, size: number): IncidentStep[] {
  return [...incidentScript(seed, size, 'run')];
}

/** Counts the script's writes during the split by the side they are written on. */
function countBySide(steps: readonly IncidentStep[]): Record<DcId, Record<string, number>> {
  const home = new Map<string, DcId>();
  const counts: Record<DcId, Record<string, number>> = { west: {}, east: {} };
  for (const { offset, command } of steps) {
    if (command.type === 'participant.move') home.set(command.participantId, command.to);
    if (offset < 0 || !('participantId' in command) || command.participantId === null) continue;
    const dc = home.get(command.participantId);
    if (!dc) throw new Error(`write by an unseated person ${command.participantId}`);
    const kind = command.type === 'post.create' ? (command.parentId === null ? 'post' : 'reply') : command.type.replace('post.', '');
    if (command.type === 'participant.move') continue;
    counts[dc][kind] = (counts[dc][kind] ?? 0) + 1;
  }
  return counts;
}

describe('the incident script', () => {
  it('[INC1] is the same history for the same seed, and another for another seed', () => {
    const a = collect(7, 1000);
    expect(collect(7, 1000)).toEqual(a);
    expect(collect(8, 1000)).not.toEqual(a);
  });

  it('[INC1] has the posts per side the size asks for, within a 12-minute split, in time order', () => {
    for (const size of [1000, 10_000]) {
      const steps = collect(3, size);
      const counts = countBySide(steps);
      const plan = incidentPlan(size);
      for (const dc of ['west', 'east'] as const) {
        expect((counts[dc].post ?? 0) + (counts[dc].reply ?? 0)).toBe(size);
        expect(counts[dc].reply).toBeGreaterThan(0);
        for (const kind of ['edit', 'like', 'delete'] as const) {
          expect(counts[dc][kind]).toBeGreaterThan(0);
          expect(counts[dc][kind]).toBeLessThanOrEqual(plan.perSide[dc][kind]);
        }
      }
      const offsets = steps.map((s) => s.offset);
      expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
      expect(offsets.at(-1)).toBeLessThan(INCIDENT_SPLIT_MS);
    }
  });

  it('[INC1] edits the same objects on both sides and deletes posts the other side still answers', () => {
    const steps = collect(11, 1000);
    const home = new Map<string, DcId>();
    const editedIn = new Map<string, Set<DcId>>();
    const deletedIn = new Map<string, DcId>();
    const answeredIn = new Map<string, Set<DcId>>();
    for (const { offset, command } of steps) {
      if (command.type === 'participant.move') home.set(command.participantId, command.to);
      if (offset < 0) continue;
      const dc = 'participantId' in command && command.participantId ? home.get(command.participantId) : undefined;
      if (!dc) continue;
      if (command.type === 'post.edit') editedIn.set(command.postId, new Set([...(editedIn.get(command.postId) ?? []), dc]));
      if (command.type === 'post.delete') deletedIn.set(command.postId, dc);
      const target = command.type === 'post.like' ? command.postId : command.type === 'post.create' ? command.parentId : null;
      if (target) answeredIn.set(target, new Set([...(answeredIn.get(target) ?? []), dc]));
    }
    expect([...editedIn.values()].filter((sides) => sides.size === 2).length).toBeGreaterThan(1);
    const answeredElsewhere = [...deletedIn].filter(([id, dc]) => [...(answeredIn.get(id) ?? [])].some((other) => other !== dc));
    expect(answeredElsewhere.length).toBeGreaterThan(0);
  });
});
