import type { Album } from '../../main/core/api/contract.js';

/** How the album list is ordered. */
export type AlbumSort = 'name' | 'newest' | 'largest';

/** The albums matching a search (name or source folder, any case), in the chosen order; Uncategorized last. */
export function orderAlbums(albums: Album[], query: string, sort: AlbumSort): Album[] {
  const q = query.trim().toLocaleLowerCase();
  const hit = q ? albums.filter((a) => a.name.toLocaleLowerCase().includes(q) || a.folders.some((f) => f.toLocaleLowerCase().includes(q))) : albums.slice();
  const by: Record<AlbumSort, (a: Album, b: Album) => number> = {
    name: (a, b) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }),
    newest: (a, b) => b.createdAt - a.createdAt || a.name.localeCompare(b.name),
    largest: (a, b) => b.fileCount - a.fileCount || a.name.localeCompare(b.name),
  };
  return hit.sort((a, b) => Number(a.kind === 'uncategorized') - Number(b.kind === 'uncategorized') || by[sort](a, b));
}

/** The line that tells same-named albums apart: the folders their files came from. */
export function albumSubtitle(a: Album): string {
  return a.folders.length === 0 ? '' : a.folders.length <= 2 ? a.folders.join(' · ') : `${a.folders.slice(0, 2).join(' · ')} +${a.folders.length - 2}`;
}
