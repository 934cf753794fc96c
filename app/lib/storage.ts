/**
 * Browser storage behind try/catch: private modes and locked-down school laptops throw on
 * access, and a missing token must never crash a page (the person just joins again).
 */

/** The keys this app keeps, in one place so no page spells them differently. */
export const storageKeys = {
  /** A student's resume token: same identity and datacenter after a reload or reconnect. */
  token: (code: string) => `sbl:token:${code}`,
  /** The instructor secret, also kept in the admin URL's fragment (never in a query string). */
  admin: (code: string) => `sbl:admin:${code}`,
  /** The name typed on the home page, carried to the student page where the join happens. */
  name: (code: string) => `sbl:name:${code}`,
} as const;

function store(kind: 'local' | 'session'): Storage | null {
  try {
    return kind === 'local' ? window.localStorage : window.sessionStorage;
  } catch {
    return null;
  }
}

/** Reads a value; null when absent or when storage is unavailable. */
export function readStored(kind: 'local' | 'session', key: string): string | null {
  try {
    return store(kind)?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Writes a value; a failure only costs the convenience of resuming. */
export function writeStored(kind: 'local' | 'session', key: string, value: string): void {
  try {
    store(kind)?.setItem(key, value);
  } catch {
    // Storage full or disabled: the page still works for this visit.
  }
}

/** Forgets a value, e.g. a token the server no longer knows. */
export function removeStored(kind: 'local' | 'session', key: string): void {
  try {
    store(kind)?.removeItem(key);
  } catch {
    // Nothing to undo.
  }
}
