import fs from 'node:fs';
/** The p-th percentile (nearest rank) of the values; NaN for none. */
export function percentile(xs, p) {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
}
/** A running process's resident memory now and at its peak (the kernel's VmRSS/VmHWM), in MB; 0 once it is gone. */
export function memoryMb(pid) {
    let status;
    try {
        status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    }
    catch {
        return { rss: 0, peak: 0 };
    }
    const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}
//# sourceMappingURL=process-stats.js.map