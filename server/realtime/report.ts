/**
 * A heal report as the screens get it. At the lecture's scale a report lists hundreds of thousands
 * of items: the board and the admin get its counts and a sample of each list (and page through the
 * rest on request), and each student gets the items about them (their writes, their posts), the
 * board's sample (so their feed marks the same posts the board marks) and the counts. Each is
 * built once per heal and kept beside the core's report object.
 */
import { HEAL_LISTS, type HealList, type HealReportPage, type HealReportView, type WriteView } from '../protocol/index.ts';
import type { HealReport, SimState, WriteRef } from '../sim/index.ts';
import { authorName, siblingView } from './views.ts';

/** Items of each list in a board's or admin's sample. */
export const REPORT_SAMPLE = 20;
/** Items per `heal:report-page`. */
export const REPORT_PAGE = 500;

function writeView(state: SimState, w: WriteRef): WriteView {
  return { opId: w.opId, kind: w.kind, byId: w.by, byName: authorName(state, w.by), dc: w.dc, wall: w.wall, at: w.at, text: w.text ?? null };
}

/** A heal report with names: the board's lists and each student's "what I lost". */
export function healReportView(state: SimState, report: HealReport): HealReportView {
  const name = (id: string) => authorName(state, id);
  return {
    strategy: report.strategy,
    at: report.at,
    held: { ...report.held },
    lost: report.lost.map((l) => ({
      postId: l.postId,
      lost: writeView(state, l.lost),
      winner: writeView(state, l.winner),
      decidedBy: l.decidedBy,
      aheadMs: l.aheadMs,
      skew: l.skew === null ? null : { ...l.skew },
    })),
    duplicates: report.duplicates.map((d) => ({ postId: d.postId, duplicateId: d.duplicateId, byId: d.by, byName: name(d.by) })),
    brokenThreads: report.brokenThreads.map((b) => ({ postId: b.postId, parentId: b.parentId, byId: b.by, byName: name(b.by) })),
    phantomLikes: report.phantomLikes.map((p) => ({ postId: p.postId, byId: p.by, byName: name(p.by) })),
    resurrected: report.resurrected.map((r) => ({ postId: r.postId, deletedById: r.deletedBy, deletedByName: name(r.deletedBy), editedById: r.editedBy, editedByName: name(r.editedBy) })),
    likeMerges: report.likeMerges.map((m) => ({ ...m })),
    conflicts: report.conflicts.map((c) => ({ postId: c.postId, authorId: c.author, authorName: name(c.author), mayChoose: c.mayChoose, siblings: c.siblings.map((s) => siblingView(state, s)) })),
    totals: Object.fromEntries(HEAL_LISTS.map((list) => [list, report[list].length])) as HealReportView['totals'],
  };
}

interface Built {
  full: HealReportView;
  sample: HealReportView;
  /** Each person's own items, by participant id. */
  mine: Map<string, HealReportView>;
}

const built = new WeakMap<HealReport, Built>();

type Item = HealReportView[HealList][number];

/** Fresh copies of the sample's lists, for a person's own items to be added to. */
function sampleLists(sample: HealReportView): Pick<HealReportView, HealList> {
  const { lost, duplicates, brokenThreads, phantomLikes, resurrected, likeMerges, conflicts } = sample;
  return { lost: [...lost], duplicates: [...duplicates], brokenThreads: [...brokenThreads], phantomLikes: [...phantomLikes], resurrected: [...resurrected], likeMerges: [...likeMerges], conflicts: [...conflicts] };
}

/** Whom an item is about: who wrote it, and whose post it is on (O(1) per item). */
function peopleOf(state: SimState, list: HealList, item: Item): string[] {
  const author = (postId: string) => state.replicas.west.posts.get(postId)?.author ?? state.replicas.east.posts.get(postId)?.author;
  const people: (string | undefined)[] = [];
  switch (list) {
    case 'lost': {
      const l = item as HealReportView['lost'][number];
      people.push(l.lost.byId, author(l.postId));
      break;
    }
    case 'duplicates':
    case 'phantomLikes': {
      const d = item as { postId: string; byId: string };
      people.push(d.byId, author(d.postId));
      break;
    }
    case 'brokenThreads': {
      const b = item as HealReportView['brokenThreads'][number];
      people.push(b.byId, author(b.parentId));
      break;
    }
    case 'resurrected':
    case 'likeMerges':
      people.push(author((item as { postId: string }).postId));
      break;
    case 'conflicts': {
      // The author chooses; the people who wrote the versions (anyone, on the pinned post) see it too.
      const c = item as HealReportView['conflicts'][number];
      people.push(c.authorId, ...c.siblings.map((v) => v.byId));
      break;
    }
    default: {
      const unknown: never = list;
      throw new Error(`unknown list ${String(unknown)}`);
    }
  }
  return [...new Set(people.filter((p): p is string => p !== undefined))];
}

function build(state: SimState, report: HealReport): Built {
  const known = built.get(report);
  if (known) return known;
  const full = healReportView(state, report);
  const sample: HealReportView = { ...full };
  const mine = new Map<string, HealReportView>();
  for (const list of HEAL_LISTS) {
    const sampled = (full[list] as Item[]).slice(0, REPORT_SAMPLE);
    (sample[list] as Item[]) = sampled;
    const inSample = new Set(sampled);
    for (const item of full[list] as Item[]) {
      if (inSample.has(item)) continue;
      for (const person of peopleOf(state, list, item)) {
        let own = mine.get(person);
        if (!own) {
          own = { ...sample, ...sampleLists(sample) };
          mine.set(person, own);
        }
        (own[list] as Item[]).push(item);
      }
    }
  }
  const result = { full, sample, mine };
  built.set(report, result);
  return result;
}

/** The board's and admin's view of the last heal: counts and a sample of each list. */
export function reportSample(state: SimState): HealReportView | null {
  return state.lastHeal ? build(state, state.lastHeal).sample : null;
}

/** A student's view of the last heal: the board's sample, every other item about them, and the counts. */
export function reportFor(state: SimState, participantId: string): HealReportView | null {
  if (!state.lastHeal) return null;
  const { sample, mine } = build(state, state.lastHeal);
  return mine.get(participantId) ?? sample;
}

/** One page of one list of the last heal's report; null when there was no heal. */
export function reportPage(state: SimState, list: HealList, offset: number): HealReportPage | null {
  if (!state.lastHeal) return null;
  const items = build(state, state.lastHeal).full[list] as Item[];
  return { at: state.lastHeal.at, list, offset, total: items.length, items: items.slice(offset, offset + REPORT_PAGE) as HealReportView[HealList] };
}
