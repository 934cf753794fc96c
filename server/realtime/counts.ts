/** The counts panel (INC2): numbers that cost O(1) to compute whatever the session holds, never its rows. */
import type { ClassCountsView, IncidentView } from '../protocol/index.ts';
import { heldCounts, type IncidentSummary, type SimState } from '../sim/index.ts';

export function incidentView(summary: IncidentSummary): IncidentView {
  const { seed, size, splitAt, people, shared, applied, refused, perSide } = summary;
  return { seed, size, splitAt, people, shared, applied, refused, perSide: { west: { ...perSide.west }, east: { ...perSide.east } } };
}

export function countsView(state: SimState, incident: IncidentSummary | null): ClassCountsView {
  const heal = state.lastHeal;
  return {
    posts: { west: state.replicas.west.posts.size, east: state.replicas.east.posts.size },
    held: heldCounts(state),
    conflicts: Math.max(state.replicas.west.conflicts, state.replicas.east.conflicts),
    incident: incident ? incidentView(incident) : null,
    heal: heal
      ? {
          strategy: heal.strategy,
          lost: heal.lost.length,
          duplicates: heal.duplicates.length,
          brokenThreads: heal.brokenThreads.length,
          phantomLikes: heal.phantomLikes.length,
          resurrected: heal.resurrected.length,
          likeMerges: heal.likeMerges.length,
          conflicts: heal.conflicts.length,
        }
      : null,
  };
}
