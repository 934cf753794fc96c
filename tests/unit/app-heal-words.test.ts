import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { HealReportView, PostView, Strategy, WriteView } from '../../server/protocol/index.ts';
import { LWW_DECIDERS } from '../../server/sim/vocab.ts';
import { StrategyReport, postLabeler } from '../../app/components/shared/HealReports.tsx';
import { healStory } from '../../app/components/student/healStory.ts';
import { formatSkew } from '../../app/lib/format.ts';
import { healHeadline, healNotice, lossReason, skewSentence, type Loss } from '../../app/lib/healWords.ts';

/** A local wall-clock instant, so the expectations hold in any time zone. */
const T0 = new Date(2026, 10, 30, 14, 3, 7, 400).getTime();

function write(over: Partial<WriteView>): WriteView {
  return { opId: 'op', kind: 'edit', byId: 'ana', byName: 'Ana', dc: 'west', wall: T0, at: T0, text: null, ...over };
}

function report(strategy: Strategy, over: Partial<HealReportView> = {}, totals: Partial<HealReportView['totals']> = {}): HealReportView {
  const r = { strategy, at: T0 + 9000, held: { west: 1, east: 3 }, lost: [], duplicates: [], brokenThreads: [], phantomLikes: [], resurrected: [], likeMerges: [], conflicts: [], ...over };
  return {
    ...r,
    totals: { lost: r.lost.length, duplicates: r.duplicates.length, brokenThreads: r.brokenThreads.length, phantomLikes: r.phantomLikes.length, resurrected: r.resurrected.length, likeMerges: r.likeMerges.length, conflicts: r.conflicts.length, ...totals },
  };
}

function post(id: string, over: Partial<PostView> = {}): PostView {
  return {
    id, parentId: null, pinned: false, authorId: 'ana', authorName: 'Ana', text: `text of ${id}`, deleted: false, createdAt: T0, createdIn: 'west',
    editedBy: null, editedAt: null, likeCount: 0, likedBy: [], vv: { west: 1, east: 0 }, lamport: 1, pending: false, siblings: null, duplicateOf: null, ...over,
  };
}

/** Ben's edit in East on a clock 4 s behind, really 2 s later, lost to Ana's West edit stamped 2 s later. */
const skewed: Loss = {
  postId: 'p1',
  lost: write({ opId: 'ben-edit', byId: 'ben', byName: 'Ben', dc: 'east', wall: T0 - 2000, at: T0 + 2000, text: 'Ben’s words' }),
  winner: write({ opId: 'ana-edit', text: 'Ana’s words' }),
  decidedBy: 'later-timestamp',
  aheadMs: 2000,
  skew: { behindMs: 4000, laterMs: 2000 },
};

const html = (node: ReturnType<typeof createElement>) => renderToStaticMarkup(node).replace(/&#x27;/g, "'");

describe('one phrasing layer for heal reports (app/lib/healWords.ts)', () => {
  it('[LWW3] each rule of LWW1 that can decide a loss has its own sentence', () => {
    const said = LWW_DECIDERS.map((decidedBy) => lossReason({ ...skewed, decidedBy, aheadMs: decidedBy === 'later-timestamp' ? 2000 : 0, skew: null }));
    expect(said).toEqual([
      "West's version has the later timestamp (2.0 s later on the clocks): the last write wins.",
      'Same timestamp on both clocks: a delete beats an edit.',
      'Same timestamp on both clocks: West wins ties.',
    ]);
  });

  it('[LWW3] the skew is said in the one skew format, to the class and to the person who lost', () => {
    expect(skewSentence(skewed)).toBe("East's clock was 4.0 s behind West's: this write really came 2.0 s later, and still lost.");
    expect(skewSentence(skewed, true)).toBe("Your clock (East) was 4.0 s behind West's: you really wrote 2.0 s later, and still lost.");
    expect(skewSentence({ ...skewed, skew: null })).toBeNull();
    // The same format a datacenter's clock shows, against another clock.
    expect(formatSkew(-4000, "West's")).toBe("4.0 s behind West's");
    expect(formatSkew(20, "West's")).toBe("level with West's");
    expect(formatSkew(-4000)).toBe('4.0 s behind');
  });

  it('[LWW3] the board, the admin page and the student\'s ledger say the same thing in the same words', () => {
    const r = report('lww', { lost: [skewed] });
    const posts = [post('p1')];
    // The board's panel and the admin page's last heal both render StrategyReport.
    const shown = html(createElement(StrategyReport, { report: r, label: postLabeler({ west: posts, east: posts }), testPrefix: 'heal' }));
    const ledger = healStory(r, 'ben', posts);
    const entry = ledger.lost[0];
    expect(entry?.reason).toBe(lossReason(skewed));
    expect(shown).toContain(entry?.reason);
    expect(shown).toContain(skewSentence(skewed));
    expect(ledger.headline).toBe(healHeadline(r));
    expect(ledger.headline).toBe('Healed with last write wins at 14:03:16.4: the link held 1 message from West and 3 from East.');
    // Both stamps in the one time format: 24-hour, tenths of a second.
    expect(entry?.mineStamp).toBe('East clock 14:03:05.4');
    expect(shown).toContain('(East clock 14:03:05.4)');
    expect(entry?.kept).toContain('(West clock 14:03:07.4)');
    expect(shown).toContain('(West clock 14:03:07.4)');
  });
});

describe("what a student's ledger shows", () => {
  it('[LWW3] only my own lost writes, even when the report carries the class\'s sample too', () => {
    const anasLoss: Loss = { ...skewed, postId: 'p2', lost: write({ opId: 'ana-lost', dc: 'east', wall: T0 - 10, at: T0 - 10, text: 'Ana’s lost words' }), skew: null };
    const r = report('lww', { lost: [skewed, anasLoss] });
    const posts = [post('p1'), post('p2', { authorId: 'cy', authorName: 'Cy' })];
    const ben = healStory(r, 'ben', posts);
    expect(ben.lost.map((l) => [l.what, l.mine, l.skewNote !== null])).toEqual([["Your edit of Ana's post", '“Ben’s words”', true]]);
    const ana = healStory(r, 'ana', posts);
    expect(ana.lost.map((l) => [l.what, l.mine, l.skewNote])).toEqual([["Your edit of Cy's post", '“Ana’s lost words”', null]]);
    expect(healStory(r, 'cy', posts).lost).toEqual([]);
  });

  it('[LWW2] a like lost on my post is listed under my posts, with who gave it and from where', () => {
    const like: Loss = { ...skewed, postId: 'p1', lost: write({ opId: 'cy-like', kind: 'like', byId: 'cy', byName: 'Cy', dc: 'east' }), skew: null };
    const story = healStory(report('lww', { lost: [like] }), 'ana', [post('p1')]);
    expect(story.lost).toEqual([]);
    expect(story.lostLikes.map((l) => l.text)).toEqual(["Cy's like (from East) on your post “text of p1”"]);
  });
});

describe("the student's notice after a heal", () => {
  it('[LWW3] counts the class from the totals and names people only when the screen has every item', () => {
    const all = report('lww', { lost: [skewed] });
    expect(healNotice(all, 'ana')).toEqual({ title: 'Healed with last write wins', forClass: '1 write by Ben was lost', forMe: 'yours all survived' });
    expect(healNotice(all, 'ben').forMe).toBe('1 write of yours was lost');
    // A sample of a larger report: the count is the total, without names that would undercount.
    expect(healNotice(report('lww', { lost: [skewed] }, { lost: 40 }), 'ana').forClass).toBe('40 writes were lost');
  });
});
