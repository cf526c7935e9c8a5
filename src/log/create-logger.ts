import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { prettyStream } from './pretty-stream.js';

export type { Logger } from 'pino';

/** Log levels a setting may name, most severe first; `silent` logs nothing. */
export const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** How log lines are written: one JSON object a line, or short human-readable lines. */
export type LogFormat = 'json' | 'pretty';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Least severe level written; default `info`. */
  level?: LevelWithSilent;
  /** Default `json`. */
  format?: LogFormat;
  /** Where lines go; default standard error (standard output is for commands' results). */
  destination?: NodeJS.WritableStream;
}

/**
 * A pino logger: JSON lines (`level`, `time` in ms since the epoch, `msg`, and
 * the fields given) written synchronously, so nothing is lost at exit; or, with
 * `format: 'pretty'`, the same records as short lines for a terminal.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.destination ?? process.stderr;
  const destination: DestinationStream =
    options.format === 'pretty'
      ? prettyStream(out)
      : options.destination
        ? { write: (line: string) => out.write(line) }
        : pino.destination({ dest: 2, sync: true });
  return pino({ level: options.level ?? 'info', base: { pid: process.pid } }, destination);
}

/** A logger that writes nothing (the default of `createApp` and of tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
