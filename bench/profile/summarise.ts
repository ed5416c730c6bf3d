/**
 * Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`), and the
 * same grouped by package or source file: where the CPU goes, in one screen.
 *   node --import tsx bench/profile/summarise.ts <file.cpuprofile> [top=30] [skip seconds=0]
 * (skip: ignore the first seconds, i.e. start-up, of a whole-process --cpu-prof profile)
 */
import fs from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
const [file, topArg, skipArg] = process.argv.slice(2);
const profile = JSON.parse(fs.readFileSync(file!, "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const top = Number(topArg ?? 30);
const selfUs = new Map<number, number>();
const skipUs = Number(skipArg ?? 0) * 1e6;
let at = 0;
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (at >= skipUs) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
const total = [...selfUs].filter(([id]) => !idleIds.has(id)).reduce((a, [, us]) => a + us, 0);

const byFunction = new Map<string, number>();
const byOrigin = new Map<string, number>();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0 || idleIds.has(node.id)) continue;
  const url = node.callFrame.url.replace(/^file:\/\//, "").replace(process.cwd(), ".");
  const key = `${node.callFrame.functionName || "(anonymous)"}  ${url.split("/").slice(-2).join("/")}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith("node:") ? url : url === "" ? node.callFrame.functionName : url.split("/").slice(0, 3).join("/"));
  byOrigin.set(pkg, (byOrigin.get(pkg) ?? 0) + us);
}
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title} (busy ${(total / 1000).toFixed(0)} ms sampled, idle excluded)`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
};
print("self time by function", byFunction);
print("self time by package / directory", byOrigin);
