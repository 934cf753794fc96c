/**
 * How every page writes times, durations, skews and quoted text: one format each, so the board,
 * the admin page and a student's ledger can be read side by side.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A live wall clock as 24-hour "14:03:07": the same digits on every screen, whatever the locale. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * A stamped time that people compare ("14:03:07.4"): 24-hour with tenths of a second, because
 * last-write-wins decides between writes less than a second apart and the class must see why.
 */
export function formatTime(ms: number): string {
  return `${formatClock(ms)}.${Math.floor(new Date(ms).getMilliseconds() / 100)}`;
}

/** Seconds with one decimal ("4.0 s"), unsigned: the sentence says which way. */
export function formatSeconds(ms: number): string {
  return `${(Math.abs(ms) / 1000).toFixed(1)} s`;
}

/**
 * A clock's skew: "4.0 s behind", "2.5 s ahead", "on time" against real (server) time, or
 * against another clock when `than` names it ("4.0 s behind West's", "level with West's").
 */
export function formatSkew(skewMs: number, than: string | null = null): string {
  if (Math.abs(skewMs) < 50) return than === null ? 'on time' : `level with ${than}`;
  return `${formatSeconds(skewMs)} ${skewMs < 0 ? 'behind' : 'ahead'}${than === null ? '' : ` ${than}`}`;
}

/** A length of time as a person says it: "45 s", "1 min 20 s", "1 h 5 min". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${min} min`;
  if (min > 0) return `${min} min ${s} s`;
  return `${s} s`;
}

/** Text cut to at most `max` characters, an ellipsis marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** How many characters of a post a sentence quotes. */
export const QUOTE_CHARS = 40;

/** A post's words inside a sentence: on one line, “quoted”, cut to `max` characters. */
export function quote(text: string, max: number = QUOTE_CHARS): string {
  return `“${truncate(text.trim().replace(/\s+/g, ' '), max)}”`;
}
