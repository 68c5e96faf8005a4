// Native addons and Electron (issue #19): which addons are N-API and which are V8-ABI, that every
// V8-ABI one has an Electron build and is loaded only through the binding choice, and that a
// wrong-ABI addon is refused by the main process's guard. See [Note: Native addons and Electron].
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ShoeboxError } from '../core/errors.js';
import { guardAddonLoading } from './addon-guard.js';
import { ELECTRON_BUILT_ADDONS, classifyAddonBytes, describeAddons, findNativeAddons } from './native-addons.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const addons = findNativeAddons(ROOT);
const NODE_ABI = Number(process.versions.modules);

describe('addon classification from the binary', () => {
  it('an addon exporting napi_register_module_v1 is N-API', () => {
    assert.deepEqual(classifyAddonBytes(Buffer.from('\x7fELF....napi_register_module_v1\0napi_create_function\0')), { kind: 'napi' });
  });

  it('an addon exporting node_register_module_v<ABI> is V8-ABI for that ABI', () => {
    assert.deepEqual(classifyAddonBytes(Buffer.from('\x7fELF...node_register_module_v145\0_ZN2v87Isolate')), { kind: 'v8', abi: 145 });
  });

  it('an addon that only calls node_module_register or V8 symbols is V8-ABI of unknown ABI', () => {
    assert.deepEqual(classifyAddonBytes(Buffer.from('MZ....node_module_register\0')), { kind: 'v8', abi: null });
    assert.deepEqual(classifyAddonBytes(Buffer.from('MZ....?New@Object@v8@@SA\0')), { kind: 'v8', abi: null });
  });

  it('a .node file without any Node registration (a SQLite extension) is not an addon', () => {
    assert.deepEqual(classifyAddonBytes(Buffer.from('\x7fELF....sqlite3_extension_init\0')), { kind: 'not-an-addon' });
  });
});

describe('the addons in our production dependency tree', () => {
  it('lists every native addon with its ABI kind', (t) => {
    for (const line of describeAddons(addons)) t.diagnostic(line);
    const kinds = new Map(addons.filter((a) => a.kind.kind !== 'not-an-addon').map((a) => [a.pkg, a.kind.kind]));
    // The ones Shoebox calls directly; sharp's binary ships in its per-platform @img package.
    for (const pkg of ['onnxruntime-node', 'usearch', 'sodium-native']) assert.equal(kinds.get(pkg), 'napi', pkg);
    assert.ok([...kinds].some(([pkg, kind]) => pkg.startsWith('@img/sharp-') && kind === 'napi'), 'sharp is N-API');
    assert.equal(kinds.get('better-sqlite3'), 'v8');
  });

  it('Node\'s better-sqlite3 build in node_modules is for this Node\'s ABI (so npm test can load it)', () => {
    const sqlite = addons.find((a) => a.pkg === 'better-sqlite3' && a.file === path.normalize(ELECTRON_BUILT_ADDONS['better-sqlite3']!.file));
    assert.ok(sqlite, 'better-sqlite3 has its Node build');
    assert.deepEqual(sqlite.kind, { kind: 'v8', abi: NODE_ABI });
  });

  it('every V8-ABI addon has an Electron build (a new one fails here until it is handled like better-sqlite3)', () => {
    const v8 = [...new Set(addons.filter((a) => a.kind.kind === 'v8').map((a) => a.pkg))];
    const unhandled = v8.filter((pkg) => !(pkg in ELECTRON_BUILT_ADDONS));
    assert.deepEqual(unhandled, [], `V8-ABI addons without an Electron build: ${unhandled.join(', ')}`);
  });

  it('code that runs in the Electron main process loads better-sqlite3 only through openDatabase (the binding choice)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) {
          const src = fs.readFileSync(p, 'utf8');
          for (const pkg of Object.keys(ELECTRON_BUILT_ADDONS)) {
            const valueImport = new RegExp(`^import (?!type )[^;]*from '${pkg}'|import\\('${pkg}'\\)|require\\('${pkg}'\\)`, 'm');
            if (valueImport.test(src)) offenders.push(path.relative(ROOT, p));
          }
        }
      }
    };
    for (const dir of ['main', 'workers', 'preload']) walk(path.join(ROOT, dir));
    assert.deepEqual(offenders, [path.join('main', 'core', 'catalog', 'sqlite-binding.ts')]);
  });

  it('the installer unpacks every addon package from the asar and ships the Electron build, never rebuilding node_modules', () => {
    const yml = fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
    assert.match(yml, /^npmRebuild: false$/m, 'electron-builder must not rebuild node_modules in place');
    assert.match(yml, /- from: build\/electron-native\/\$\{platform\}-\$\{arch\}\n\s+to: native/);
    const unpacked = [...yml.matchAll(/^\s+- node_modules\/(\S+?)\/\*\*$/gm)].map((m) => m[1]);
    const pkgs = [...new Set(addons.filter((a) => a.kind.kind !== 'not-an-addon').map((a) => (a.pkg.startsWith('@') ? a.pkg.split('/')[0]! : a.pkg)))];
    for (const pkg of pkgs) assert.ok(unpacked.includes(pkg), `${pkg} is not in asarUnpack`);
  });

  it('the installer packs every kind of module the build makes for the app (a .cjs beside the .js)', () => {
    const yml = fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
    const packed = new Set([...yml.matchAll(/^\s+- (build\/(?:main|workers)\/\*\*\/\*\.\w+)$/gm)].map((m) => m[1]));
    const needed = new Set<string>();
    const walk = (dir: string, top: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p, top);
        else if (/\.(c|m)?js$/.test(e.name) && !e.name.endsWith('.test.js')) needed.add(`build/${top}/**/*${path.extname(e.name)}`);
      }
    };
    for (const top of ['main', 'workers']) walk(path.join(ROOT, 'build', top), top);
    assert.ok(needed.has('build/main/**/*.cjs'), 'the build has CommonJS modules (io-threads.cjs)');
    for (const pattern of needed) assert.ok(packed.has(pattern), `electron-builder.yml does not pack ${pattern}`);
  });
});

describe('the main process\'s addon guard', () => {
  const electron = { modules: '145', electron: '41.7.1' };
  const loaded: string[] = [];
  const fakeProc = () => ({ dlopen: (_m: { exports: unknown }, f: string) => void loaded.push(f), versions: electron });

  it('refuses Node\'s better-sqlite3 build in Electron with what to do, before loading it', () => {
    const proc = fakeProc();
    guardAddonLoading(proc);
    const nodeBuild = path.join(ROOT, 'node_modules', 'better-sqlite3', ELECTRON_BUILT_ADDONS['better-sqlite3']!.file);
    assert.throws(() => proc.dlopen({ exports: {} }, nodeBuild), (e: unknown) => e instanceof ShoeboxError && e.code === 'NATIVE_BUILD_MISSING' && /better_sqlite3\.node .*ABI 115.*Electron 41\.7\.1 \(ABI 145\).*npm start/.test(e.userMessage));
    assert.ok(!loaded.includes(nodeBuild));
  });

  it('lets N-API addons and builds for the running ABI through', () => {
    const proc = fakeProc();
    guardAddonLoading(proc);
    for (const a of addons.filter((x) => x.kind.kind === 'napi').slice(0, 5)) {
      const f = path.join(a.dir, a.file);
      proc.dlopen({ exports: {} }, f);
      assert.ok(loaded.includes(f), a.pkg);
    }
    const own = guardAddonLoading({ dlopen: (_m, f) => void loaded.push(f), versions: { modules: String(NODE_ABI) } });
    own();
  });

  it('in this Node, the real dlopen still loads a V8-ABI addon built for it', async () => {
    const restore = guardAddonLoading(process);
    try {
      const { openDatabase } = await import('../core/catalog/sqlite-binding.js');
      assert.equal((openDatabase(':memory:').prepare('SELECT 2 AS x').get() as { x: number }).x, 2);
    } finally {
      restore();
    }
  });
});
