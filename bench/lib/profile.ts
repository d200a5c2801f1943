/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) into self time per function
 * and per area (our src/ files, each npm package, node internals, GC).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { round } from './stats.js';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly location: string;
  readonly area: string;
  readonly selfMs: number;
  /** Share of the busy (non-idle) time. */
  readonly percent: number;
}

export interface ProfileSummary {
  readonly file: string;
  /** True when only the measured run's samples were kept. */
  readonly windowed: boolean;
  readonly sampledMs: number;
  readonly idlePercent: number;
  readonly busyMs: number;
  readonly topFunctions: readonly SelfTime[];
  readonly areas: ReadonlyArray<{ readonly area: string; readonly selfMs: number; readonly percent: number }>;
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a function lives: `src/...` for ours, the package name for dependencies, `node:` internals. */
export function areaOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName) && frame.url === '') return frame.functionName;
  const url = frame.url;
  if (url === '') return '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return (rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : rest[0]) ?? url;
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  const bench = url.indexOf('/bench/');
  if (bench >= 0) return url.slice(bench + 1);
  return url;
}

function shortLocation(frame: CallFrame): string {
  if (frame.url === '') return '';
  const modules = frame.url.lastIndexOf('/node_modules/');
  const path = modules >= 0 ? frame.url.slice(modules + '/node_modules/'.length) : areaOf(frame);
  return `${path}:${frame.lineNumber + 1}`;
}

/** The main-thread profile of process `pid` in `dir` (the largest one when the name does not tell). */
export function findProfile(dir: string, pid: number): string {
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  const mine = files.filter((name) => name.includes(`.${pid}.0.`));
  const candidates = (mine.length > 0 ? mine : files).map((name) => join(dir, name));
  const best = candidates.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (best === undefined) throw new Error(`no .cpuprofile in ${dir}`);
  return best;
}

/** Only the samples taken between two readings of the profiled process's monotonic clock (µs). */
export interface ProfileWindow {
  readonly fromMicros: number;
  readonly toMicros: number;
}

export function summariseProfile(file: string, window?: ProfileWindow, top = 10): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>(profile.nodes.map((node) => [node.id, node]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfByNode = new Map<number, number>();
  // Sample i is taken at startTime + deltas[0..i]; deltas[i + 1] is the time it stands for.
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    if (window !== undefined && (at < window.fromMicros || at > window.toMicros)) continue;
    const id = samples[i] as number;
    const micros = deltas[i + 1] ?? 0;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + Math.max(0, micros));
  }
  let total = 0;
  let idle = 0;
  const byFunction = new Map<string, { name: string; location: string; area: string; micros: number }>();
  const byArea = new Map<string, number>();
  for (const [id, micros] of selfByNode) {
    const node = byId.get(id);
    if (node === undefined) continue;
    total += micros;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const location = shortLocation(frame);
    const key = `${name}@${location}`;
    const entry = byFunction.get(key) ?? { name, location, area: areaOf(frame), micros: 0 };
    entry.micros += micros;
    byFunction.set(key, entry);
    byArea.set(entry.area, (byArea.get(entry.area) ?? 0) + micros);
  }
  const busy = Math.max(1, total - idle);
  return {
    file,
    windowed: window !== undefined,
    sampledMs: round(total / 1000, 0),
    idlePercent: round((100 * idle) / Math.max(1, total), 1),
    busyMs: round(busy / 1000, 0),
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.micros - a.micros)
      .slice(0, top)
      .map((entry) => ({
        name: entry.name,
        location: entry.location,
        area: entry.area,
        selfMs: round(entry.micros / 1000, 0),
        percent: round((100 * entry.micros) / busy, 1),
      })),
    areas: [...byArea.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([area, micros]) => ({ area, selfMs: round(micros / 1000, 0), percent: round((100 * micros) / busy, 1) })),
  };
}
