import { spawn } from 'node:child_process';
import * as path from 'node:path';

/**
 * The query benchmark's host-stall accounting (bench/query/host-stalls.cjs) and probe
 * (bench/query/host-stall-probe.mjs): a block of the api's event loop is reported less only the
 * time every CPU of the machine was stopped, and the probe sees a stop.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stalls = require(path.resolve(__dirname, '../../bench/query/host-stalls.cjs'));

interface Stop {
  cpu?: number;
  startUs: number;
  endUs: number;
}

describe('machineWideStops', () => {
  it.each<[string, Stop[], number[], Array<[number, number]>]>([
    ['no stops', [], [0, 1], []],
    [
      'both CPUs stopped together: the common part',
      [
        { cpu: 0, startUs: 100, endUs: 200 },
        { cpu: 1, startUs: 120, endUs: 260 },
      ],
      [0, 1],
      [[120, 200]],
    ],
    ['one CPU alone: nothing', [{ cpu: 0, startUs: 100, endUs: 200 }], [0, 1], []],
    [
      'stops that do not meet: nothing',
      [
        { cpu: 0, startUs: 100, endUs: 200 },
        { cpu: 1, startUs: 200, endUs: 300 },
      ],
      [0, 1],
      [],
    ],
    [
      'a stop seen in two parts on one CPU is one stop',
      [
        { cpu: 0, startUs: 100, endUs: 150 },
        { cpu: 0, startUs: 150, endUs: 220 },
        { cpu: 1, startUs: 90, endUs: 210 },
      ],
      [0, 1],
      [[100, 210]],
    ],
    [
      'one CPU: its own stops',
      [
        { cpu: 0, startUs: 10, endUs: 20 },
        { cpu: 0, startUs: 15, endUs: 30 },
      ],
      [0],
      [[10, 30]],
    ],
  ])('%s', (_name, stops, cpus, expected) => {
    expect(stalls.machineWideStops(stops, cpus).map((s: Stop) => [s.startUs, s.endUs])).toEqual(expected);
  });
});

describe('blocksLessStops', () => {
  // A block of `ms` ending at endUs spans [endUs - (ms + tick) ms, endUs]: the 5 ms timer's period too.
  it.each<[string, { ms: number; endUs: number }, Array<[number, number]>, number, number]>([
    ['no stop: the whole block is the api', { ms: 60, endUs: 100_000 }, [], 0, 60],
    ['a 50 ms stop inside a 60 ms block', { ms: 60, endUs: 100_000 }, [[40_000, 90_000]], 50, 10],
    ['a stop partly before the block counts only inside it', { ms: 20, endUs: 100_000 }, [[0, 80_000]], 5, 15],
    ['a stop after the block counts nothing', { ms: 20, endUs: 100_000 }, [[100_000, 200_000]], 0, 20],
    ['a stop longer than the block leaves nothing', { ms: 30, endUs: 100_000 }, [[0, 200_000]], 35, 0],
  ])('%s', (_name, block, stops, stoppedMs, ownMs) => {
    const [b] = stalls.blocksLessStops(
      [block],
      stops.map(([startUs, endUs]) => ({ startUs, endUs })),
      5,
    );
    expect({ stoppedMs: b.stoppedMs, ownMs: b.ownMs }).toEqual({ stoppedMs, ownMs });
  });
});

describe('host-stall-probe.mjs', () => {
  it('reports a stop of its process (SIGSTOP for 150 ms) with its length', async () => {
    const probe = spawn(process.execPath, [path.resolve(__dirname, '../../bench/query/host-stall-probe.mjs'), '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    probe.stdout.on('data', (d) => (out += d));
    const exited = new Promise((resolve) => probe.on('exit', resolve));
    try {
      // Started and sleeping 1 ms at a time (a busy CI machine may take seconds to start a node).
      const deadline = Date.now() + 20_000;
      while (!out.includes('"ready":true') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(out).toContain('"ready":true');
      await new Promise((r) => setTimeout(r, 100));
      const quiet = out;
      probe.kill('SIGSTOP');
      await new Promise((r) => setTimeout(r, 150));
      probe.kill('SIGCONT');
      await new Promise((r) => setTimeout(r, 200));
      const seen = out
        .slice(quiet.length)
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Stop);
      const longest = Math.max(...seen.map((s) => (s.endUs - s.startUs) / 1000));
      expect(seen.every((s) => s.cpu === 0)).toBe(true);
      expect(longest).toBeGreaterThanOrEqual(140);
      expect(longest).toBeLessThan(5000);
    } finally {
      probe.kill('SIGTERM');
      await exited;
    }
  });
});
