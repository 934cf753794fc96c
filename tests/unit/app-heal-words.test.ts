import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { HealReportView, PostView, SiblingView, Strategy, WriteView } from '../../server/protocol/index.ts';
import { LWW_DECIDERS } from '../../server/sim/vocab.ts';
import { StrategyReport, openConflicts, postLabeler } from '../../app/components/shared/HealReports.tsx';
import { PostCard } from '../../app/components/PostCard.tsx';
import { conflictsToChoose, healStory } from '../../app/lib/healStory.ts';
import { formatSkew } from '../../app/lib/format.ts';
import { healMarks, marksShown } from '../../app/lib/healMarks.ts';
import { chooserName, healHeadline, healNotice, lossReason, skewSentence, type Loss } from '../../app/lib/healWords.ts';

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
    editedBy: null, editedAt: null, likeCount: 0, likedBy: [], vv: { west: 1, east: 0 }, lamport: 1, pending: false, siblings: null, mayChoose: null, duplicateOf: null, ...over,
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

describe('marks on posts touched by the last heal', () => {
  it('[LWW3] a post whose other version lost is marked "Lost", with whose writes', () => {
    const r = report('lww', { lost: [skewed, { ...skewed, lost: write({ opId: 'cy-like', kind: 'like', byId: 'cy', byName: 'Cy', dc: 'east' }), skew: null }] });
    const marks = healMarks(r, [post('p1')], 'cy');
    expect(marks.get('p1')).toEqual([{ kind: 'lost', label: 'Lost', text: "Ben's edit and your like lost to West's version (last write wins).", link: null }]);
  });

  it('[MRG1] [MRG3] duplicates link to each other, a resurrected post says who deleted and who edited', () => {
    const r = report('merge', {
      duplicates: [{ postId: 'p1', duplicateId: 'p1~x', byId: 'ben', byName: 'Ben' }],
      resurrected: [{ postId: 'p2', deletedById: 'ana', deletedByName: 'Ana', editedById: 'ben', editedByName: 'Ben' }],
    });
    const marks = healMarks(r, []);
    expect(marks.get('p1')).toEqual([{ kind: 'duplicated', label: 'Duplicated', text: 'Its other version became a post of its own:', link: { postId: 'p1~x', text: 'the duplicate' } }]);
    expect(marks.get('p1~x')?.map((m) => [m.kind, m.text, m.link?.postId])).toEqual([['duplicate', 'Duplicate of', 'p1']]);
    expect(marks.get('p2')?.map((m) => [m.label, m.text])).toEqual([['Resurrected', 'Deleted by Ana, edited by Ben on the other side: merge everything brought it back.']]);
  });

  it('[HUM2] a conflict a person has settled is marked "Chosen"; one still open keeps its banner instead', () => {
    const siblings: SiblingView[] = [
      { dc: 'west', text: 'a', deleted: false, byId: 'ana', byName: 'Ana', wall: T0, lamport: 2, vv: { west: 2, east: 0 } },
      { dc: 'east', text: 'b', deleted: false, byId: 'ben', byName: 'Ben', wall: T0, lamport: 2, vv: { west: 1, east: 1 } },
    ];
    const r = report('human', { conflicts: [{ postId: 'p1', authorId: 'ana', authorName: 'Ana', mayChoose: 'author', siblings }, { postId: 'p2', authorId: 'ana', authorName: 'Ana', mayChoose: 'author', siblings }] });
    const marks = healMarks(r, [post('p1'), post('p2', { siblings, mayChoose: 'author' })]);
    expect([...marks.keys()]).toEqual(['p1']);
    expect(marks.get('p1')?.[0]).toMatchObject({ kind: 'chosen', label: 'Chosen' });
  });

  it('[MRG1] marks last until the next split begins, and notes belong to the latest heal only', () => {
    const merge = report('merge', { duplicates: [{ postId: 'p1', duplicateId: 'p1~x', byId: 'ben', byName: 'Ben' }] });
    expect(marksShown(merge, { mode: 'up' })).toBe(true);
    expect(marksShown(merge, { mode: 'slow' })).toBe(true);
    expect(marksShown(merge, { mode: 'cut' })).toBe(false);
    expect(marksShown(merge, { mode: 'cut-west-to-east' })).toBe(false);
    expect(marksShown(null, { mode: 'up' })).toBe(false);
    // A later heal (here LWW) that did not touch the duplicated post leaves it unmarked, though the
    // post is still the duplicate it became in the earlier round.
    const original = post('p1');
    const duplicate = post('p1~x', { duplicateOf: 'p1' });
    const later = healMarks(report('lww'), [original, duplicate]);
    expect(later.size).toBe(0);
    const card = (p: PostView) => html(createElement(PostCard, { post: p, dc: 'west', showMeta: false, nameOf: (id: string) => id, ...(later.has(p.id) ? { marks: later.get(p.id) } : {}) }));
    expect(card(duplicate)).not.toContain('Duplicate');
    expect(card(original)).not.toContain('duplicate');
  });

  it('[MRG1] a mark is text, not colour alone: its label and sentence are on the card, with a link to the other version', () => {
    const marks = healMarks(report('merge', { duplicates: [{ postId: 'p1', duplicateId: 'p1~x', byId: 'ben', byName: 'Ben' }] }), []);
    const shown = html(createElement(PostCard, { post: post('p1~x', { duplicateOf: 'p1' }), dc: 'east', showMeta: false, nameOf: (id: string) => id, marks: marks.get('p1~x') }));
    expect(shown).toContain('data-mark="duplicate"');
    expect(shown).toContain('<span class="post-mark-label">Duplicate</span>');
    expect(shown).toContain('Duplicate of <a href="#post-east-p1">another version</a>');
  });
});

describe('who may choose, as the core says (HUM2)', () => {
  it('[HUM2] the pages read the post\'s mayChoose: the author on their own post, anyone on the class post', () => {
    const siblings: SiblingView[] = [{ dc: 'west', text: 'a', deleted: false, byId: 'ana', byName: 'Ana', wall: T0, lamport: 2, vv: { west: 2, east: 0 } }];
    const own = post('p1', { siblings, mayChoose: 'author' });
    const classPost = post('pinned', { pinned: true, authorId: 'class', authorName: 'The class', siblings, mayChoose: 'anyone' });
    const settled = post('p3');
    expect(conflictsToChoose([own, classPost, settled], 'ana').map((p) => p.id)).toEqual(['p1', 'pinned']);
    expect(conflictsToChoose([own, classPost, settled], 'ben').map((p) => p.id)).toEqual(['pinned']);
    expect(openConflicts({ west: [own, classPost], east: [] }).map((c) => c.waitingFor)).toEqual(['Ana', 'anyone']);
    expect(chooserName('anyone', 'The class')).toBe('anyone');
    const banner = (p: PostView) => html(createElement(PostCard, { post: p, dc: 'west', showMeta: false, nameOf: (id: string) => id }));
    expect(banner(own)).toContain('Waiting for Ana to choose');
    expect(banner(classPost)).toContain('anyone may choose for the class post');
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
