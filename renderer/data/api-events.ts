import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EventData, EventName } from '../../main/core/api/contract.js';
import type { ShoeboxApi } from '../api/api-client.js';
import type { Session } from './contexts.js';

/**
 * Listens to one engine event for a view while it is in the page: subscribes once the session
 * (from context) is there, again if its API changes, and unsubscribes when the view leaves the
 * page. The view never subscribes or forgets to unsubscribe by hand.
 */
export class ApiEventController<E extends EventName> implements ReactiveController {
  private api: ShoeboxApi | undefined;
  private off: (() => void) | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly session: () => Session | undefined,
    private readonly event: E,
    private readonly handle: (data: EventData<E>) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.follow();
  }

  /** The session arrives by context after connection: each update checks it. */
  hostUpdate(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.off?.();
    this.off = undefined;
    this.api = undefined;
  }

  private follow(): void {
    const api = this.session()?.api;
    if (api === this.api) return;
    this.off?.();
    this.api = api;
    this.off = api?.on(this.event, this.handle);
  }
}
