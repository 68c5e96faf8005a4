import { events, methods, serverMessage, type ApiError, type EventData, type EventName, type MethodName, type Params, type Result } from '../../main/core/api/contract.js';

/** The typed API the window uses: the same over Electron IPC and over `shoebox serve`'s WebSocket. */
export interface ShoeboxApi {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, fn: (data: EventData<E>) => void): () => void;
  /**
   * Connection changes (the WebSocket can drop and come back; IPC cannot). `newRun`: the server
   * answers but refuses this page's token: Shoebox was started again, with a new link.
   */
  onConnection(fn: (connected: boolean, newRun: boolean) => void): () => void;
  /** The file system path of a dropped file, where the platform gives one (Electron). */
  pathForFile(file: File): string | null;
}

/** An API error as thrown to the window's code: `userMessage` is for people. */
export class ApiCallError extends Error {
  constructor(readonly code: string, readonly userMessage: string) {
    super(userMessage);
  }
}

/** What the Electron preload exposes as `window.shoebox` (see preload/index.ts). */
interface PreloadBridge {
  call(method: string, params: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiError }>;
  on(event: string, fn: (data: unknown) => void): () => void;
  pathForFile?(file: File): string;
}

declare global {
  interface Window {
    shoebox?: PreloadBridge;
  }
}

/** Checks an answer against the contract, so a bad answer is an error, not a broken screen. */
function checked<M extends MethodName>(method: M, result: unknown): Result<M> {
  const parsed = methods[method].result.safeParse(result);
  if (!parsed.success) throw new ApiCallError('BAD_RESPONSE', `The engine answered ${method} with something unexpected.`);
  return parsed.data as Result<M>;
}

/** Connects to the engine: through the Electron preload when present, else the WebSocket of `shoebox serve`. */
export function connectApi(): ShoeboxApi {
  const bridge = window.shoebox;
  if (bridge) {
    return {
      async call(method, params) {
        const r = await bridge.call(method, params);
        if (!r.ok) throw new ApiCallError(r.error.code, r.error.userMessage);
        return checked(method, r.result);
      },
      on(event, fn) {
        return bridge.on(event, (data) => {
          const parsed = events[event].safeParse(data);
          if (parsed.success) fn(parsed.data as EventData<typeof event>);
        });
      },
      onConnection: () => () => undefined,
      pathForFile: (file) => bridge.pathForFile?.(file) || null,
    };
  }
  return new SocketApi(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
}

/** The WebSocket transport, reconnecting when the connection drops. */
class SocketApi implements ShoeboxApi {
  private ws!: WebSocket;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; method: MethodName }>();
  private readonly listeners = new Map<string, Set<(data: unknown) => void>>();
  private ready!: Promise<void>;

  constructor(private readonly url: string) {
    this.open();
  }

  private open(): void {
    this.ws = new WebSocket(this.url);
    this.ready = new Promise((resolve, reject) => {
      this.ws.addEventListener('open', () => resolve(), { once: true });
      this.ws.addEventListener('error', () => reject(new ApiCallError('DISCONNECTED', 'Cannot reach Shoebox: is it still running on the computer that serves this window?')), { once: true });
    });
    this.ready.catch(() => undefined); // reported to each call below
    this.ws.addEventListener('message', (ev: MessageEvent<string>) => this.receive(ev.data));
    this.ws.addEventListener('close', () => {
      for (const p of this.pending.values()) p.reject(new ApiCallError('DISCONNECTED', 'The connection to Shoebox was lost; reconnecting…'));
      this.pending.clear();
      this.emitLocal('connection', { connected: false, newRun: false });
      // A browser does not say why a WebSocket was refused: ask the server. 401 is a server that
      // runs but does not know this page's token (a new `shoebox serve` run prints a new link).
      void fetch('/', { method: 'HEAD', cache: 'no-store' }).then((r) => r.status === 401, () => false).then((newRun) => {
        if (newRun) this.emitLocal('connection', { connected: false, newRun: true });
      });
      setTimeout(() => this.open(), 1500); // opening the new link in another tab sets the token for this one too
    });
    this.ws.addEventListener('open', () => this.emitLocal('connection', { connected: true }));
  }

  private receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return; // not from our engine: ignore
    }
    const msg = serverMessage.safeParse(json);
    if (!msg.success) return;
    const m = msg.data;
    if ('event' in m) {
      const schema = (events as Record<string, import('zod').ZodType>)[m.event];
      const parsed = schema?.safeParse(m.data);
      if (parsed?.success) this.emitLocal(m.event, parsed.data);
      return;
    }
    const p = m.id === null ? undefined : this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id!);
    if (m.ok) {
      try {
        p.resolve(checked(p.method, m.result));
      } catch (err) {
        p.reject(err as Error);
      }
    } else p.reject(new ApiCallError(m.error.code, m.error.userMessage));
  }

  private emitLocal(event: string, data: unknown): void {
    for (const fn of this.listeners.get(event) ?? []) fn(data);
  }

  async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    await this.ready;
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve, reject, method });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  onConnection(fn: (connected: boolean, newRun: boolean) => void): () => void {
    const set = this.listeners.get('connection') ?? new Set();
    const wrapped = (d: unknown) => fn((d as { connected: boolean }).connected, (d as { newRun?: boolean }).newRun === true);
    set.add(wrapped);
    this.listeners.set('connection', set);
    return () => set.delete(wrapped);
  }

  pathForFile(): string | null {
    return null; // a browser never reveals where a dropped file lives
  }

  on<E extends EventName>(event: E, fn: (data: EventData<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(fn as (d: unknown) => void);
    this.listeners.set(event, set);
    return () => set.delete(fn as (d: unknown) => void);
  }
}

/** The message to show for anything thrown by a call. */
export function messageOf(err: unknown): string {
  return err instanceof ApiCallError ? err.userMessage : `Something went wrong: ${(err as Error)?.message ?? String(err)}`;
}
