// Imported first by renderer/main.ts, before the API contract builds its schemas: zod decides
// then whether to compile object parsers with `new Function`, and to find out it tries one. The
// window's CSP has no 'unsafe-eval', so that try is refused and reported as a script-src
// violation on every load, although zod catches the error ([Note: No inline styles under the
// CSP] covers the window's policy). jitless skips the try; the interpreted parsers are what the
// window ran anyway. The engine, under plain Node, keeps the compiled ones.
import { z } from 'zod';

z.config({ jitless: true });
