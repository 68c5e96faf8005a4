import { Readable } from 'node:stream';
import { answerMedia } from '../core/media/media-response.js';
/** The scheme the window loads media from in the desktop app. */
export const MEDIA_SCHEME = 'shoebox-media';
/** Where the window fetches media (told through shell.capabilities). */
export const MEDIA_BASE = `${MEDIA_SCHEME}://media/`;
/**
 * The scheme's privileges, registered before the app is ready: standard (so URLs parse and `..`
 * is resolved away before we see them), secure, streamable (video seeks with ranges), readable
 * by fetch. It does not bypass the page's CSP, which allows it for img-src and media-src only.
 */
export const mediaSchemePrivileges = { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true, bypassCSP: false, corsEnabled: false } };
/**
 * [Note: No file:// escape]
 * The desktop window shows photos and plays videos through shoebox-media://media/<kind>/<fileId>.
 * A URL names a file id, never a path: the handler looks the id up in the catalog and streams
 * that file's blob (or its preview), with range requests, through the same code as serve's
 * /media/. Anything else — another host, a path, an id that isn't a number, `..` — is 404.
 * So a compromised page can read nothing but library media it could already see.
 */
export async function handleMediaRequest(media, request, log) {
    let url;
    try {
        url = new URL(request.url);
    }
    catch {
        return new Response('Not found.', { status: 404 });
    }
    if (url.protocol !== `${MEDIA_SCHEME}:` || url.host !== 'media' || (request.method !== 'GET' && request.method !== 'HEAD'))
        return new Response('Not found.', { status: 404 });
    try {
        const a = await answerMedia(media, url.pathname.replace(/^\//, ''), request.headers.get('range') ?? undefined, request.method);
        const body = a.body ? Readable.toWeb(a.body) : a.message ?? null;
        return new Response(body, { status: a.status, headers: a.headers });
    }
    catch (err) {
        log.error('media request failed', { url: request.url, error: err.message });
        return new Response('Shoebox could not read this file.', { status: 500 });
    }
}
/** Serves the media scheme in this session; returns the function that stops it. */
export function registerMediaProtocol(protocol, media, log) {
    protocol.handle(MEDIA_SCHEME, (request) => handleMediaRequest(media, request, log));
    return () => protocol.unhandle(MEDIA_SCHEME);
}
//# sourceMappingURL=media-protocol.js.map