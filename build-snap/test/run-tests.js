// Runs every compiled test file (`*.test.js` under build/) with node's test runner.
// Node 20's runner takes no globs, so the files are listed here. Usage:
//   node build/test/run-tests.js [substring…]   (only files whose path under build/ contains a substring)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const buildRoot = fileURLToPath(new URL('..', import.meta.url));
function findTests(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory())
            return e.name === 'node_modules' ? [] : findTests(p);
        return e.name.endsWith('.test.js') ? [p] : [];
    });
}
const filters = process.argv.slice(2);
const files = findTests(buildRoot)
    .filter((f) => filters.length === 0 || filters.some((s) => path.relative(buildRoot, f).includes(s))) // not the checkout's own folder name
    .sort();
if (files.length === 0) {
    console.error(`no test files matched ${filters.join(', ') || '(all)'} under ${buildRoot}`);
    process.exit(1);
}
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files], { stdio: 'inherit' });
child.on('close', (code) => process.exit(code ?? 1));
//# sourceMappingURL=run-tests.js.map