// Which part of an event-loop block was the whole VM stopped (bench/query/host-stall-probe.mjs)?
// Pure interval arithmetic on monotonic µs, kept apart from the benchmark so a test holds it
// (tools/repo-checks/query-bench-host-stalls.spec.ts).

/** Sorted, non-overlapping union of [startUs, endUs] intervals. */
function union(intervals) {
  const sorted = intervals.filter((i) => i.endUs > i.startUs).sort((a, b) => a.startUs - b.startUs);
  const out = [];
  for (const i of sorted) {
    const lastOne = out[out.length - 1];
    if (lastOne && i.startUs <= lastOne.endUs) lastOne.endUs = Math.max(lastOne.endUs, i.endUs);
    else out.push({ startUs: i.startUs, endUs: i.endUs });
  }
  return out;
}

/**
 * The times every CPU was stopped at once: the intersection of each CPU's stops. A stop of one CPU
 * alone may not have been the api's (its thread may have been on the other one), so it is not
 * counted against a block.
 */
function machineWideStops(stops, cpus) {
  if (cpus.length === 0) return [];
  let common = union(stops.filter((s) => s.cpu === cpus[0]));
  for (const cpu of cpus.slice(1)) {
    const own = union(stops.filter((s) => s.cpu === cpu));
    const next = [];
    for (const a of common) {
      for (const b of own) {
        const startUs = Math.max(a.startUs, b.startUs);
        const endUs = Math.min(a.endUs, b.endUs);
        if (endUs > startUs) next.push({ startUs, endUs });
      }
    }
    common = next;
  }
  return common;
}

/** µs of [fromUs, toUs] covered by the (disjoint) intervals. */
function coveredUs(fromUs, toUs, intervals) {
  let us = 0;
  for (const i of intervals) us += Math.max(0, Math.min(toUs, i.endUs) - Math.max(fromUs, i.startUs));
  return us;
}

/**
 * Each block (loop-monitor.mjs: a `tickMs` timer that fired `ms` late, ending at `endUs`) less the
 * part of it during which the whole machine was stopped, in ms with one decimal.
 */
function blocksLessStops(blocks, stops, tickMs) {
  return blocks.map((b) => {
    const covered = coveredUs(b.endUs - (b.ms + tickMs) * 1000, b.endUs, stops) / 1000;
    return { ...b, stoppedMs: Math.round(covered * 10) / 10, ownMs: Math.max(0, Math.round((b.ms - covered) * 10) / 10) };
  });
}

module.exports = { union, machineWideStops, coveredUs, blocksLessStops };
