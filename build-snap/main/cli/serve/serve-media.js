import { pipeline } from 'node:stream/promises';
import { answerMedia } from '../../core/media/media-response.js';
/** The URL prefix of media in serve (the window reads it from shell.capabilities). */
export const MEDIA_PREFIX = '/media/';
/**
 * GET/HEAD /media/<thumb|preview|original>/<fileId>: a file's media, by id only, with range
 * requests (videos stream and seek). Called after serve's token and host checks.
 */
export async function serveMedia(media, req, res, pathname, log) {
    const a = await answerMedia(media, pathname.slice(MEDIA_PREFIX.length), req.headers.range, req.method);
    res.writeHead(a.status, { ...a.headers, 'Content-Security-Policy': "default-src 'none'", 'Referrer-Policy': 'no-referrer' });
    if (!a.body) {
        res.end(a.message ?? '');
        return;
    }
    try {
        await pipeline(a.body, res);
    }
    catch (err) {
        // The browser stops reading a video it seeks away from: that closes the response, not a fault.
        if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE')
            log.warn('sending media failed', { path: pathname, error: err.message });
    }
}
//# sourceMappingURL=serve-media.js.map