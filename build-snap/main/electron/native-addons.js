// Which native addons Shoebox loads, and which of them need a build of their own for Electron.
// Plain Node (no electron import): `npm start`, `npm run dist` and the tests use it too.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
/** The V8-ABI addons the desktop app loads through a build for Electron, with the file of each build. */
export const ELECTRON_BUILT_ADDONS = {
    'better-sqlite3': { file: 'build/Release/better_sqlite3.node' },
};
const NAPI = Buffer.from('napi_register_module_v1');
const V8_REGISTER = /node_register_module_v(\d+)/;
const V8_MARKERS = [Buffer.from('node_module_register'), Buffer.from('_ZN2v8'), Buffer.from('@v8@@')];
/** The kind of a `.node` file from its bytes (pure). A file with neither registration (a SQLite extension) is not an addon. */
export function classifyAddonBytes(bytes) {
    if (bytes.includes(NAPI))
        return { kind: 'napi' };
    // The register symbol is ASCII among other strings: search a latin1 view for its ABI number.
    const m = V8_REGISTER.exec(bytes.toString('latin1'));
    if (m)
        return { kind: 'v8', abi: Number(m[1]) };
    if (V8_MARKERS.some((b) => bytes.includes(b)))
        return { kind: 'v8', abi: null };
    return { kind: 'not-an-addon' };
}
/** The kind of a `.node` file on disk. */
export function classifyAddonFile(file) {
    return classifyAddonBytes(fs.readFileSync(file));
}
function readPackage(dir) {
    try {
        return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return null;
        throw err;
    }
}
/** Node's lookup of a dependency: `node_modules/<name>` in the package's folder, then in each parent. */
function resolvePackageDir(name, fromDir) {
    for (let dir = fromDir;; dir = path.dirname(dir)) {
        const candidate = path.join(dir, 'node_modules', name);
        if (fs.existsSync(path.join(candidate, 'package.json')))
            return candidate;
        if (path.dirname(dir) === dir)
            return null;
    }
}
/** The folders of every production dependency of the project (dependencies and optional ones, transitively; dev dependencies are never shipped). */
export function productionPackages(projectDir) {
    const found = new Map(); // dir → name
    const queue = [projectDir];
    while (queue.length > 0) {
        const dir = queue.shift();
        const pkg = readPackage(dir);
        if (!pkg)
            continue;
        for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
            const depDir = resolvePackageDir(name, dir);
            if (!depDir || found.has(depDir))
                continue; // an optional dependency for another platform is simply absent
            found.set(depDir, name);
            queue.push(depDir);
        }
    }
    return found;
}
function nodeFiles(dir, rel = '') {
    return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
        const r = path.join(rel, e.name);
        if (e.isDirectory())
            return e.name === 'node_modules' || e.name === 'obj.target' || e.name === 'obj' ? [] : nodeFiles(dir, r);
        return e.isFile() && e.name.endsWith('.node') ? [r] : [];
    });
}
/** Every `.node` binary shipped by the project's production dependencies, classified. */
export function findNativeAddons(projectDir) {
    const out = [];
    for (const [dir, pkg] of productionPackages(projectDir)) {
        for (const file of nodeFiles(dir))
            out.push({ pkg, dir, file, kind: classifyAddonFile(path.join(dir, file)) });
    }
    return out.sort((a, b) => a.pkg.localeCompare(b.pkg) || a.file.localeCompare(b.file));
}
/** One line per addon package: its name and ABI kind (for `npm start`'s and the tests' reports). */
export function describeAddons(addons) {
    const byPkg = new Map();
    for (const a of addons) {
        if (a.kind.kind === 'not-an-addon')
            continue;
        const label = a.kind.kind === 'napi' ? 'N-API (loads under Node and Electron)' : `V8-ABI${a.kind.abi ? ` ${a.kind.abi}` : ''} (needs a build per runtime)`;
        byPkg.set(a.pkg, (byPkg.get(a.pkg) ?? new Set()).add(label));
    }
    return [...byPkg].map(([pkg, kinds]) => `${pkg}: ${[...kinds].join(', ')}`);
}
/** size, mtime and SHA-256 of every `.node` file under node_modules: `npm run dist` checks that it leaves them as they were. */
export function snapshotNativeBuilds(projectDir) {
    const out = new Map();
    const walk = (dir) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory())
                walk(p);
            else if (e.isFile() && e.name.endsWith('.node')) {
                const st = fs.statSync(p);
                out.set(path.relative(projectDir, p), `${st.size}:${st.mtimeMs}:${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`);
            }
        }
    };
    walk(path.join(projectDir, 'node_modules'));
    return out;
}
//# sourceMappingURL=native-addons.js.map