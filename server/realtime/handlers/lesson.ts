/**
 * Lesson domain: the guided path on the admin page, and predict-then-reveal. Where the class is
 * in the lesson is presentation, not truth: it is kept here, beside the session in memory, not in
 * the op log (a restart puts the class back in the lobby; every post survives). What a step
 * changes (the link, skew, quorums, strategy) goes through the core like the panel's controls.
 */
import { randomUUID } from 'node:crypto';
import { schemas, type Ack, type LessonView, type PersonRef } from '../../protocol/index.ts';
import { answer, ask, createLesson, currentStep, goTo, observeHeal, questionOf, reveal, type LessonState } from '../../lesson/lesson.ts';
import { QUESTIONS } from '../../lesson/questions.ts';
import { SETTINGS_RESET, type LessonCommand } from '../../lesson/steps.ts';
import { judge, tally } from '../../lesson/tally.ts';
import type { Command } from '../../sim/index.ts';
import { fail, forbidden, refused, requester, rooms, tooFast, type AppSocket, type Hub } from '../hub.ts';
import { adminOf, roleOf, studentOf } from '../presence.ts';
import { route } from '../route.ts';
import type { SessionRuntime } from '../session-runtime.ts';
import { actOn } from './consensus.ts';

const lessons = new WeakMap<SessionRuntime, LessonState>();

/** The session's lesson, with the question asked before the latest heal judged by it. */
function lessonOf(runtime: SessionRuntime): LessonState {
  const lesson = observeHeal(lessons.get(runtime) ?? createLesson(), runtime.state.lastHeal);
  lessons.set(runtime, lesson);
  return lesson;
}

function people(runtime: SessionRuntime, ids: readonly string[]): PersonRef[] {
  return ids.map((id) => ({ id, name: runtime.state.participants.get(id)?.name ?? 'someone' }));
}

export function lessonView(runtime: SessionRuntime, lesson: LessonState): LessonView {
  const q = lesson.question;
  let question: LessonView['question'] = null;
  if (q) {
    const def = questionOf(q);
    const { counts, answered } = tally(def, q.answers);
    const verdict = q.phase === 'judged' && q.outcome ? judge(def, q.answers, q.outcome) : null;
    question = {
      id: def.id,
      text: def.text,
      options: def.options.map((o) => ({ ...o })),
      phase: q.phase,
      counts: { ...counts },
      answered,
      verdict: verdict ? { right: people(runtime, verdict.right), wrong: people(runtime, verdict.wrong), correct: verdict.correct } : null,
    };
  }
  return {
    steps: lesson.steps.map((s) => ({
      id: s.id,
      title: s.title,
      sentence: s.sentence,
      say: s.say,
      rules: [...s.rules],
      action: s.action?.kind ?? null,
      question: s.question ? QUESTIONS[s.question].text : null,
      panels: [...s.panels],
    })),
    step: lesson.step,
    question,
    previewShown: lesson.previewShown,
  };
}

/** Stores the new lesson and tells everyone in the session. */
function publish(hub: Hub, runtime: SessionRuntime, lesson: LessonState): Ack<LessonView> {
  lessons.set(runtime, lesson);
  const view = lessonView(runtime, lessonOf(runtime));
  hub.io.to(rooms.all(runtime.record.id)).emit('lesson:changed', view);
  return { ok: true, data: view };
}

/** Runs commands through the core one after the other, like the panel's buttons; stops at a refusal. */
async function run(runtime: SessionRuntime, commands: readonly (LessonCommand | Command)[]): Promise<Ack<null>> {
  for (const command of commands) {
    const outcome = await runtime.execute(command, `lesson-${randomUUID()}`);
    if (!outcome.ok) return refused(outcome.error);
  }
  return { ok: true, data: null };
}

export function lessonHandlers(hub: Hub, socket: AppSocket): void {
  route(hub, socket, 'lesson:watch', schemas.lessonWatch, () => {
    const role = roleOf(hub, socket);
    if (role.kind === 'none') return Promise.resolve(fail('not_joined', 'Join the session first.'));
    const lesson = lessonOf(role.runtime);
    const view = lessonView(role.runtime, lesson);
    if (role.kind === 'student') view.mine = lesson.question?.answers.get(role.participant.id) ?? null;
    return Promise.resolve({ ok: true, data: view });
  });

  route(hub, socket, 'lesson:step', schemas.lessonStep, async ({ index }) => {
    const runtime = adminOf(hub, socket);
    if (!runtime) return forbidden();
    const moved = goTo(lessonOf(runtime), index);
    if (!moved.ok) return fail('invalid', moved.message);
    const step = currentStep(moved.state);
    if (step) {
      const done = await run(runtime, step.setup);
      if (!done.ok) return done;
      if (step.consensus === 'fresh') {
        const fresh = await actOn(hub, runtime, { action: 'fresh' });
        if (!fresh.ok) return refused(fresh.error);
      }
    }
    return publish(hub, runtime, moved.state);
  });

  route(hub, socket, 'lesson:act', schemas.lessonAct, async () => {
    const runtime = adminOf(hub, socket);
    if (!runtime) return forbidden();
    const action = currentStep(lessonOf(runtime))?.action;
    if (!action) return fail('invalid', 'This step has no action.');
    const done = await run(runtime, action.commands);
    if (!done.ok) return done;
    if (action.consensus === 'play') {
      const play = await actOn(hub, runtime, { action: 'resume' });
      if (!play.ok) return refused(play.error);
    }
    return publish(hub, runtime, lessonOf(runtime));
  });

  route(hub, socket, 'lesson:ask', schemas.lessonAsk, () => {
    const runtime = adminOf(hub, socket);
    if (!runtime) return Promise.resolve(forbidden());
    const asked = ask(lessonOf(runtime), hub.clock());
    return Promise.resolve(asked.ok ? publish(hub, runtime, asked.state) : fail('invalid', asked.message));
  });

  route(hub, socket, 'lesson:reveal', schemas.lessonReveal, () => {
    const runtime = adminOf(hub, socket);
    if (!runtime) return Promise.resolve(forbidden());
    return Promise.resolve(publish(hub, runtime, reveal(lessonOf(runtime))));
  });

  route(hub, socket, 'lesson:answer', schemas.lessonAnswer, async ({ option }) => {
    const who = studentOf(hub, socket);
    if (!who) return fail('not_joined', 'Join the session first.');
    if (!(await hub.guard.take('write', requester(hub, socket, who.participant.id)))) return tooFast();
    const answered = answer(lessonOf(who.runtime), who.participant.id, option);
    if (!answered.ok) return fail('invalid', answered.message);
    const published = publish(hub, who.runtime, answered.state);
    return published.ok ? { ok: true, data: { ...published.data, mine: option } } : published;
  });

  route(hub, socket, 'lesson:reset', schemas.lessonReset, async ({ what }) => {
    const runtime = adminOf(hub, socket);
    if (!runtime) return forbidden();
    const commands: Command[] = [];
    if (what !== 'posts') commands.push(...SETTINGS_RESET);
    if (what !== 'settings') commands.push({ type: 'session.reset' });
    const done = await run(runtime, commands);
    if (!done.ok) return done;
    return publish(hub, runtime, lessonOf(runtime));
  });
}
