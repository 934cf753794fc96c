/**
 * What a live session keeps beside the core's state for the screens: the feeds' windows (newest
 * threads per side), the space-time diagram, and the last incident's counts. Kept as commits
 * land; replay rebuilds them, so they are never stored apart from a snapshot.
 */
import { recordTimeline, type IncidentSummary, type SimEvent, type SimState, type Timeline } from '../sim/index.ts';
import { FeedIndex } from './feed-index.ts';
import type { Committed } from './runtime-types.ts';

export class Projections {
  readonly feed: FeedIndex;
  /** What the last incident replayed wrote, for the counts panel; null after a reset. */
  incident: IncidentSummary | null = null;

  constructor(
    state: SimState,
    public timeline: Timeline,
  ) {
    this.feed = new FeedIndex(state);
  }

  /** Follows one commit; the change to tell the screens, or null when it had no events. */
  observe(state: SimState, events: readonly SimEvent[]): Committed | null {
    for (const event of events) {
      if (event.type === 'incident.replayed') this.incident = event.summary;
      else if (event.type === 'session.reset') this.incident = null;
    }
    if (events.length === 0) return null;
    this.feed.observe(state, events);
    const recorded = recordTimeline(this.timeline, events, state);
    this.timeline = recorded.timeline;
    return { state, events, timeline: recorded.timeline, timelineChanged: recorded.changed };
  }
}
