// Times the semantic encoder as wasm (simd128) in Node's V8, the engine of Chromium: loads the
// packed asset, then embeds the gold questions in batches, as the web app would.
//   node scripts/model/wasm_bench.mjs <module.wasm> <asset> <gold.json> [batch]
import { readFileSync } from "node:fs";

const [modulePath, assetPath, goldPath, batchText] = process.argv.slice(2);
const batch = Number(batchText ?? 16);
const { instance } = await WebAssembly.instantiate(readFileSync(modulePath), {});
const wasm = instance.exports;

function copyIn(bytes) {
  const address = wasm.bench_alloc(bytes.length);
  new Uint8Array(wasm.memory.buffer, address, bytes.length).set(bytes);
  return address;
}

const asset = readFileSync(assetPath);
let start = performance.now();
if (wasm.bench_load(copyIn(asset), asset.length) !== 0) throw new Error("the asset does not load");
const loadMs = performance.now() - start;

const questions = JSON.parse(readFileSync(goldPath, "utf8")).map((item) => item.question.replace(/\s+/g, " "));
const text = new TextEncoder().encode(questions.join("\n"));
const address = copyIn(text);
wasm.bench_embed(address, text.length, batch);
// The processor time of the process is reported beside the wall-clock time: on a busy machine
// the wall clock counts the time other processes had the core.
const runs = 3;
start = performance.now();
const cpuStart = process.cpuUsage();
for (let run = 0; run < runs; run += 1) wasm.bench_embed(address, text.length, batch);
const cpu = process.cpuUsage(cpuStart);
const perRun = (performance.now() - start) / runs;
const cpuPerRun = (cpu.user + cpu.system) / 1000 / runs;
const per300 = (ms) => ((ms * 300) / questions.length).toFixed(0);
console.log(
  `wasm (V8 ${process.versions.v8}): load ${loadMs.toFixed(0)} ms; ${questions.length} questions in batches of ${batch}: ` +
    `${perRun.toFixed(0)} ms wall, ${cpuPerRun.toFixed(0)} ms processor; per 300 questions ${per300(perRun)} ms wall, ` +
    `${per300(cpuPerRun)} ms processor`,
);
