/** "1 file", "2 files": a count with its noun in the right number (irregular plurals given). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
