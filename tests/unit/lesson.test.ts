import { describe, expect, it } from 'vitest';
import { answer, ask, createLesson, goTo, observeHeal, reveal, type LessonState } from '../../server/lesson/lesson.ts';
import { QUESTIONS } from '../../server/lesson/questions.ts';
import { DEFAULT_LESSON, LESSON_SKEW_MS, SETTINGS_RESET, type LessonStep } from '../../server/lesson/steps.ts';
import { judge, tally } from '../../server/lesson/tally.ts';
import { quorumStatus, type SimState } from '../../server/sim/index.ts';
import { SimDriver } from '../support/sim.ts';

const stepOf = (id: string): LessonStep => {
  const found = DEFAULT_LESSON.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
};

/** What the settings look like, in the words the steps use. */
function settings(state: SimState) {
  return {
    mode: state.link.mode,
    latency: [state.link.latencyMs, state.link.jitterMs],
    skew: [state.skew.west, state.skew.east],
    wr: [state.consistency.w, state.consistency.r],
    strategy: state.strategy,
    westWrites: quorumStatus(state, 'west').canWrite,
    eastWrites: quorumStatus(state, 'east').canWrite,
  };
}

/** What each step says it sets, checked after its commands ran on the state the previous steps left. */
const SAYS: Record<string, Partial<ReturnType<typeof settings>>> = {
  'warm-up': { mode: 'up', latency: [400, 100], skew: [0, 0], wr: [1, 1], strategy: 'lww' },
  clocks: { mode: 'up', latency: [1500, 1500], skew: [0, LESSON_SKEW_MS] },
  'split-ap': { mode: 'cut', wr: [1, 1], strategy: 'lww', westWrites: true, eastWrites: true, latency: [400, 100] },
  'heal-lww': { mode: 'cut', strategy: 'lww', skew: [0, LESSON_SKEW_MS] },
  'heal-merge': { mode: 'cut', strategy: 'merge' },
  'heal-human': { mode: 'cut', strategy: 'human' },
  cp: { mode: 'cut', wr: [3, 3], westWrites: false, eastWrites: true },
  raft: { mode: 'up', wr: [1, 1] },
  'wrap-up': { mode: 'up' },
};

/** A class of four with a post on both sides, as the lesson starts. */
function classroom(): SimDriver {
  const sim = new SimDriver(7);
  for (const id of ['ana', 'ben', 'cy', 'di']) sim.join(id);
  return sim;
}

describe('the default lesson', () => {
  it('[LES1] each step, entered in order, sets the link, clocks, quorums and strategy it says', () => {
    const sim = classroom();
    expect(DEFAULT_LESSON.map((s) => s.id)).toEqual(Object.keys(SAYS));
    for (const step of DEFAULT_LESSON) {
      for (const command of step.setup) sim.run(command);
      expect(settings(sim.state), step.id).toMatchObject(SAYS[step.id]!);
      const writer = ['ana', 'ben'].find((id) => quorumStatus(sim.state, sim.state.participants.get(id)!.home).canWrite);
      if (writer) sim.post(writer, `during ${step.id}`);
      sim.advance(5000);
      if (step.action) {
        for (const command of step.action.commands) sim.run(command);
        if (step.action.kind === 'heal') {
          // The heal step's action heals with the strategy the step set.
          expect(sim.state.link.mode, step.id).toBe('up');
          expect(sim.state.lastHeal?.strategy, step.id).toBe(SAYS[step.id]!.strategy);
        } else {
          expect(sim.state.link.mode).toBe('cut');
        }
      }
    }
  });

  it('[LES1] a step entered out of order (the instructor jumps) still sets what it says', () => {
    for (const id of ['warm-up', 'split-ap', 'cp', 'raft', 'heal-merge']) {
      const sim = classroom();
      sim.run({ type: 'link.mode', mode: 'cut' });
      sim.run({ type: 'consistency.set', w: 5, r: 1 });
      for (const command of stepOf(id).setup) sim.run(command);
      const says = { ...SAYS[id] };
      if (id === 'heal-merge') delete says.wr;
      expect(settings(sim.state), id).toMatchObject(says);
    }
  });

  it('[LES1] "reset settings" gives no skew, AP, last write wins and the default link, keeping the posts', () => {
    const sim = classroom();
    sim.post('ana', 'kept');
    for (const command of [...stepOf('clocks').setup, ...stepOf('cp').setup, { type: 'strategy.set', strategy: 'human' } as const]) sim.run(command);
    for (const command of SETTINGS_RESET) sim.run(command);
    expect(settings(sim.state)).toMatchObject({ mode: 'up', latency: [400, 100], skew: [0, 0], wr: [1, 1], strategy: 'lww', westWrites: true, eastWrites: true });
    sim.flush();
    expect([...sim.state.replicas.east.posts.values()].some((p) => p.text === 'kept')).toBe(true);
  });

  it('[LES1] every question a step asks exists, and every heal step has a question to predict', () => {
    for (const step of DEFAULT_LESSON) {
      if (step.question) expect(QUESTIONS[step.question]).toBeDefined();
      if (step.action) expect(step.question, step.id).not.toBeNull();
    }
  });
});

describe('predict, then reveal', () => {
  const at = (lesson: LessonState, id: string) => {
    const moved = goTo(lesson, DEFAULT_LESSON.findIndex((s) => s.id === id));
    if (!moved.ok) throw new Error(moved.message);
    return moved.state;
  };
  const must = (r: { ok: true; state: LessonState } | { ok: false; message: string }) => {
    if (!r.ok) throw new Error(r.message);
    return r.state;
  };

  it('[PRD1] answers are tallied per option; a changed answer counts once; unknown options and closed questions are refused', () => {
    let lesson = must(ask(at(createLesson(), 'heal-merge'), 100));
    lesson = must(answer(lesson, 'ana', 'both'));
    lesson = must(answer(lesson, 'ben', 'west'));
    lesson = must(answer(lesson, 'ben', 'both'));
    lesson = must(answer(lesson, 'cy', 'east'));
    expect(answer(lesson, 'di', 'seven').ok).toBe(false);
    const q = lesson.question!;
    expect(tally(QUESTIONS.likes, q.answers)).toEqual({ counts: { west: 0, east: 1, both: 2 }, answered: 3 });
    lesson = reveal(lesson);
    expect(lesson.previewShown).toBe(true);
    expect(lesson.question?.phase).toBe('revealed');
    expect(answer(lesson, 'di', 'both').ok).toBe(false);
  });

  it('[PRD1] the preview stays hidden until revealed, and a new step hides it again', () => {
    let lesson = at(createLesson(), 'split-ap');
    expect(lesson.previewShown).toBe(false);
    lesson = reveal(lesson);
    expect(lesson.previewShown).toBe(true);
    expect(at(lesson, 'heal-lww').previewShown).toBe(false);
  });

  it('[PRD1] after an LWW heal, who predicted their edits would survive is judged by the report', () => {
    const sim = classroom();
    for (const command of [...stepOf('clocks').setup, ...stepOf('split-ap').setup]) sim.run(command);
    // ana is in West, ben in East (joins alternate); East's clock is 4 s behind.
    const home = (id: string) => sim.state.participants.get(id)!.home;
    const west = ['ana', 'ben', 'cy', 'di'].find((p) => home(p) === 'west')!;
    const east = ['ana', 'ben', 'cy', 'di'].find((p) => home(p) === 'east')!;
    let lesson = must(ask(at(createLesson(), 'heal-lww'), sim.now));
    sim.advance(1000);
    sim.edit(west, 'pinned', 'West says hi');
    sim.advance(1000);
    sim.edit(east, 'pinned', 'East says hi, later but on a slow clock');
    lesson = must(answer(lesson, west, 'no'));
    lesson = must(answer(lesson, east, 'no'));
    lesson = reveal(lesson);
    expect(observeHeal(lesson, sim.state.lastHeal)).toBe(lesson);
    sim.run({ type: 'link.mode', mode: 'up' });
    const report = sim.state.lastHeal!;
    expect(report.lost.some((l) => l.lost.by === east)).toBe(true);
    lesson = observeHeal(lesson, report);
    expect(lesson.question?.phase).toBe('judged');
    expect(lesson.previewShown).toBe(false);
    const verdict = judge(QUESTIONS['edit-survives'], lesson.question!.answers, lesson.question!.outcome!);
    expect(verdict.right).toEqual([east]);
    expect(verdict.wrong).toEqual([west]);
    expect(verdict.correct).toBeNull();
  });

  it('[PRD1] a heal before the question was asked does not judge it; merge-all makes "both together" right', () => {
    const sim = classroom();
    sim.run({ type: 'link.mode', mode: 'cut' });
    sim.run({ type: 'link.mode', mode: 'up' });
    const old = sim.state.lastHeal!;
    sim.advance(1000);
    for (const command of stepOf('heal-merge').setup) sim.run(command);
    let lesson = must(ask(at(createLesson(), 'heal-merge'), sim.now));
    lesson = must(answer(lesson, 'ana', 'both'));
    lesson = must(answer(lesson, 'ben', 'east'));
    expect(observeHeal(lesson, old).question?.phase).toBe('open');
    sim.like('ana', 'pinned');
    sim.like('ben', 'pinned');
    sim.advance(10);
    sim.run({ type: 'link.mode', mode: 'up' });
    lesson = observeHeal(lesson, sim.state.lastHeal);
    const verdict = judge(QUESTIONS.likes, lesson.question!.answers, lesson.question!.outcome!);
    expect(verdict).toEqual({ right: ['ana'], wrong: ['ben'], correct: 'both' });
  });

  it('[PRD1] the Raft question is judged at the reveal: only the majority (East) elects', () => {
    let lesson = must(ask(at(createLesson(), 'raft'), 0));
    lesson = must(answer(lesson, 'ana', 'both'));
    lesson = must(answer(lesson, 'ben', 'east'));
    lesson = reveal(lesson);
    expect(lesson.question?.phase).toBe('judged');
    expect(judge(QUESTIONS.leader, lesson.question!.answers, lesson.question!.outcome!)).toEqual({ right: ['ben'], wrong: ['ana'], correct: 'east' });
  });

  it('[PRD1] a step without a question cannot ask, and steps outside the lesson are refused', () => {
    expect(ask(at(createLesson(), 'warm-up'), 0).ok).toBe(false);
    expect(goTo(createLesson(), DEFAULT_LESSON.length).ok).toBe(false);
    expect(goTo(createLesson(), -1).ok).toBe(true);
  });
});

describe('the Raft step', () => {
  it('[LES1] "Restart the scenario" gives a clean cluster: one leader, of term 1, paused until Play', async () => {
    const { createPlayer, play, positionAt } = await import('../../server/sim/raft/index.ts');
    const { frameView } = await import('../../server/realtime/consensus-view.ts');
    const act = (action: 'resume' | 'fresh') => ({ kind: 'act', act: { action } }) as const;
    for (let seed = 0; seed < 40; seed += 1) {
      let player = play(createPlayer(seed, 0), act('resume'), 1000);
      player = play(player, act('fresh'), 2000);
      // Paused: a second later it is still the cluster the restart made.
      const frame = frameView(player, positionAt(player, 3000));
      expect(frame.raft.leaders.map((l) => l.term), `seed ${seed}`).toEqual([1]);
      expect(frame.paused).toBe(true);
      expect(frame.history).toBe(0);
      expect(play(player, act('resume'), 4000).paused).toBe(false);
    }
  });
});
