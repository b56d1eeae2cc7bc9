/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and says where the time went: per function
 * (self and inclusive) and per area (Parley source file, npm package, Node internals, GC).
 */
import * as v from 'valibot';

const callFrameSchema = v.object({
  functionName: v.string(),
  url: v.string(),
  lineNumber: v.number(),
  columnNumber: v.optional(v.number(), 0),
});
export type CallFrame = v.InferOutput<typeof callFrameSchema>;

/** Maps a frame in a bundle back to its source file and line (see source-maps.ts). */
export type FrameResolver = (frame: CallFrame) => { url: string; lineNumber: number };

export interface SummarizeOptions {
  /** Source paths under this folder are shown relative to it. */
  root?: string;
  resolve?: FrameResolver;
}

export const cpuProfileSchema = v.object({
  nodes: v.array(
    v.object({
      id: v.number(),
      callFrame: callFrameSchema,
      children: v.optional(v.array(v.number())),
    }),
  ),
  startTime: v.number(),
  endTime: v.number(),
  samples: v.array(v.number()),
  timeDeltas: v.array(v.number()),
});
export type CpuProfile = v.InferOutput<typeof cpuProfileSchema>;

export interface FunctionCost {
  name: string;
  area: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  wallMs: number;
  /** Sampled time not spent idle (what the process actually used). */
  busyMs: number;
  functions: FunctionCost[];
  areas: { area: string; selfMs: number }[];
}

const IDLE = '(idle)';

/** Where a function lives, at the granularity worth optimising: a source file or a package. */
export function areaOf(url: string, functionName: string, root?: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1]!;
  const file = url.replace(/^file:\/\//, '');
  if (root && file.startsWith(`${root.replace(/\/$/, '')}/`))
    return file.slice(root.replace(/\/$/, '').length + 1);
  return file;
}

export function summarizeProfile(
  profile: CpuProfile,
  options: SummarizeOptions = {},
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfById = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    selfById.set(id, (selfById.get(id) ?? 0) + Math.max(0, micros));
  });

  const placeOf = new Map<number, { key: string; area: string }>();
  const locate = (id: number) => {
    let place = placeOf.get(id);
    if (!place) {
      const frame = byId.get(id)!.callFrame;
      const source = frame.url && options.resolve ? options.resolve(frame) : frame;
      const area = areaOf(source.url, frame.functionName, options.root);
      const line = source.url ? `:${source.lineNumber + 1}` : '';
      place = { key: `${frame.functionName || '(anonymous)'} ${area}${line}`, area };
      placeOf.set(id, place);
    }
    return place;
  };
  const keyOf = (id: number) => locate(id).key;
  const costs = new Map<string, FunctionCost>();
  const costOf = (id: number) => {
    const { key, area } = locate(id);
    let cost = costs.get(key);
    if (!cost) {
      cost = { name: key, area, selfMs: 0, totalMs: 0 };
      costs.set(key, cost);
    }
    return cost;
  };

  // Inclusive time per function, counted once per stack even under recursion.
  const inclusive = new Map<number, number>();
  const root = profile.nodes[0];
  if (root) {
    const order: number[] = [];
    const stack = [root.id];
    while (stack.length > 0) {
      const id = stack.pop()!;
      order.push(id);
      for (const child of byId.get(id)?.children ?? []) stack.push(child);
    }
    for (const id of order.reverse()) {
      const children = byId.get(id)?.children ?? [];
      const childTotal = children.reduce((sum, child) => sum + (inclusive.get(child) ?? 0), 0);
      inclusive.set(id, (selfById.get(id) ?? 0) + childTotal);
    }
    const active = new Map<string, number>();
    const visit = (id: number) => {
      const key = keyOf(id);
      const depth = active.get(key) ?? 0;
      if (depth === 0) costOf(id).totalMs += (inclusive.get(id) ?? 0) / 1000;
      active.set(key, depth + 1);
      for (const child of byId.get(id)?.children ?? []) visit(child);
      active.set(key, depth);
    };
    visit(root.id);
  }
  for (const [id, micros] of selfById) costOf(id).selfMs += micros / 1000;

  const functions = [...costs.values()].filter((cost) => cost.totalMs > 0 || cost.selfMs > 0);
  const areaTotals = new Map<string, number>();
  for (const cost of functions)
    areaTotals.set(cost.area, (areaTotals.get(cost.area) ?? 0) + cost.selfMs);
  const idleMs = functions
    .filter((cost) => cost.area === IDLE)
    .reduce((sum, cost) => sum + cost.selfMs, 0);
  const sampledMs = functions.reduce((sum, cost) => sum + cost.selfMs, 0);
  return {
    wallMs: (profile.endTime - profile.startTime) / 1000,
    busyMs: sampledMs - idleMs,
    functions,
    areas: [...areaTotals]
      .map(([area, selfMs]) => ({ area, selfMs }))
      .filter((entry) => entry.area !== IDLE && entry.selfMs > 0)
      .sort((a, b) => b.selfMs - a.selfMs),
  };
}
