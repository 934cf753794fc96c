/** Bots domain (BOT1): the instructor starts, resizes and stops the session's simulated students. */
import { schemas } from '../../protocol/index.ts';
import { fleetOf } from '../bots.ts';
import { fail, forbidden, type AppSocket, type Hub } from '../hub.ts';
import { adminOf } from '../presence.ts';
import { route } from '../route.ts';

export function botHandlers(hub: Hub, socket: AppSocket): void {
  route(hub, socket, 'admin:bots', schemas.adminBots, async (payload) => {
    const runtime = adminOf(hub, socket);
    if (!runtime) return forbidden();
    const fleet = fleetOf(hub, runtime);
    if (payload.action === 'stop') return { ok: true, data: fleet.stop() };
    if (runtime.ended) return fail('ended', 'This session has ended: bots cannot join it.');
    return { ok: true, data: await fleet.start(payload.perDc, payload.ratePerSec) };
  });
}
