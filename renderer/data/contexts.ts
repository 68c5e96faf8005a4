// [Note: Renderer data layer]
// The window's data flows one way: sb-app owns the connection (SessionController) and provides
// it as a context; views (the containers: timeline, albums, trash…) consume it and load their
// data with @lit/task tasks (loadTask), run changes through an ActionController and hear engine
// events through an ApiEventController; leaf elements
// (sb-thumb, sb-state, sb-album-card…) get plain data by property and report by events. No leaf
// element holds the API. See STYLE.md ("Lit").
import { createContext } from '@lit/context';
import type { Capabilities, Status } from '../../main/core/api/contract.js';
import type { ShoeboxApi } from '../api/api-client.js';

/** What every view needs: the API, the live status, whether the engine is reachable, the shell's capabilities. */
export interface Session {
  api: ShoeboxApi;
  status: Status | null;
  /** False while the connection to the engine is lost (serve's WebSocket dropped). */
  connected: boolean;
  /** Not connected because Shoebox was started again: this page's link is the old run's. */
  newRun?: boolean;
  caps: Capabilities | null;
  /** Changes whenever the library does (a file added, moved, trashed…): views reload then. */
  revision: string;
}

/** The session, provided by sb-app. */
export const sessionContext = createContext<Session>(Symbol('shoebox-session'));
