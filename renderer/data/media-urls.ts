import { createContext } from '@lit/context';

/**
 * What the engine serves for a file: a small preview, an image sized for the screen (the
 * original where a browser shows it as it is), a full-size displayable image, the original bytes.
 */
export type MediaKind = 'thumb' | 'display' | 'preview' | 'original';

/** URLs of a file's media, under the shell's media base (`/media/` in serve, `shoebox-media://media/` in Electron). */
export interface MediaUrls {
  url(kind: MediaKind, fileId: number, version?: string | number): string;
}

/** The media URL builder for a base; undefined base (capabilities not read yet) gives undefined. */
export function mediaUrls(base: string | null | undefined): MediaUrls | undefined {
  if (!base) return undefined;
  return { url: (kind, fileId, version) => `${base}${kind}/${fileId}${version !== undefined ? `?v=${encodeURIComponent(String(version))}` : ''}` };
}

/** The media URL builder, provided by sb-app once the shell's capabilities are known. */
export const mediaContext = createContext<MediaUrls | undefined>(Symbol('shoebox-media'));
