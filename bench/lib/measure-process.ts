/**
 * Runs a command to completion as a black box and measures it (I/O): wall time,
 * peak resident memory of its whole process tree (polled from `/proc`), exit code,
 * the tail of its output. A timeout kills the tree. A failure is a result, not a
 * throw: the scale bench reports it as a row and goes on.
 */
import { spawn } from 'node:child_process';
import { processTreeMemory } from './process-tree.js';
import type { Command } from './engine-adapter.js';

/** What {@link measureProcess} saw. */
export interface ProcessRun {
  ok: boolean;
  /** Exit code; null when killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  wallMs: number;
  /**
   * Peak resident memory, bytes: the larger of the tree's summed VmRSS at any poll
   * and any one process's VmHWM (its exact peak, read at the last poll before it ended).
   */
  peakRss: number;
  /** The last non-empty line of stderr ('' if none). */
  lastStderrLine: string;
  /** Why it failed, in one line: the first stderr line naming a fatal error or an Error (V8's out-of-memory line), else the last one. */
  reasonLine: string;
  /** Up to the last 64 KiB of stdout. */
  stdout: string;
  /** Up to the last 8 KiB of stderr. */
  stderr: string;
}

/** Spawns `command` (extra `env` merged over this process's), polls its memory every `pollMs` (default 200), waits up to `timeoutMs`. */
export function measureProcess(
  command: Command,
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; pollMs?: number },
): Promise<ProcessRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command.program, command.args, {
      cwd: command.cwd,
      env: { ...process.env, ...command.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-65536)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8192)));
    let peakRss = 0;
    const poll = () => {
      const tree = processTreeMemory(child.pid!);
      const sum = tree.reduce((total, p) => total + p.rss, 0);
      peakRss = Math.max(peakRss, sum, ...tree.map((p) => p.hwm).filter(Number.isFinite));
    };
    const poller = setInterval(poll, options.pollMs ?? 200);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      poll();
      for (const pid of processTreeMemory(child.pid!)
        .map((p) => p.pid)
        .reverse()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }, options.timeoutMs);
    child.on('error', (error) => (stderr += `\n${error.message}`));
    child.on('close', (exitCode, signal) => {
      clearInterval(poller);
      clearTimeout(timer);
      const lines = stderr
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      resolve({
        ok: exitCode === 0 && !timedOut,
        exitCode,
        signal,
        timedOut,
        wallMs: performance.now() - started,
        peakRss,
        lastStderrLine: lines.at(-1) ?? '',
        reasonLine: lines.find((l) => /FATAL ERROR|out of memory|Error\b/.test(l)) ?? lines.at(-1) ?? '',
        stdout,
        stderr,
      });
    });
  });
}
