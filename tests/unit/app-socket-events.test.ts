/** The pages' one subscription helper: each broadcast reaches the page's latest handler, once, and leaving removes only the page's own listeners. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { listen } from '../../app/lib/useSocketEvents.ts';

describe('app/lib useSocketEvents', () => {
  it('[REL3] each event reaches the handler the page holds at that moment, once, without subscribing again', () => {
    const socket = new EventEmitter();
    const seen: string[] = [];
    let handlers: Record<string, (value: string) => void> = { 'post:changed': (v) => seen.push(`first ${v}`) };
    listen(socket, ['post:changed', 'session:reset'], () => handlers);
    socket.emit('post:changed', 'a');
    handlers = { 'post:changed': (v) => seen.push(`second ${v}`), 'session:reset': () => seen.push('reset') };
    socket.emit('post:changed', 'b');
    socket.emit('session:reset');
    expect(seen).toEqual(['first a', 'second b', 'reset']);
    expect(socket.listenerCount('post:changed')).toBe(1);
  });

  it('[REL3] an event the page has no handler for at that moment is dropped, not thrown', () => {
    const socket = new EventEmitter();
    listen(socket, ['class:healed'], () => ({}));
    expect(() => socket.emit('class:healed', {})).not.toThrow();
  });

  it('[REL3] leaving removes exactly the listeners it added: other subscribers keep theirs, a remount is not heard twice', () => {
    const socket = new EventEmitter();
    const seen: string[] = [];
    socket.on('connect', () => seen.push('socket module'));
    const leave = listen(socket, ['connect', 'session:reset'], () => ({ connect: () => seen.push('page'), 'session:reset': () => seen.push('page reset') }));
    leave();
    listen(socket, ['connect'], () => ({ connect: () => seen.push('remounted page') }));
    socket.emit('connect');
    socket.emit('session:reset');
    expect(seen).toEqual(['socket module', 'remounted page']);
    expect(socket.listenerCount('connect')).toBe(2);
    expect(socket.listenerCount('session:reset')).toBe(0);
  });
});
