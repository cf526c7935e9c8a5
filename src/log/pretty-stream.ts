import type { DestinationStream } from 'pino';

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const SKIPPED = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/**
 * A pino destination that turns each JSON record into one short line for a
 * person at a terminal: `12:03:04 INFO  msg key=value …`; an error's stack is
 * printed below its line. Lines that are not JSON pass through unchanged.
 */
export function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const time = new Date(typeof record['time'] === 'number' ? record['time'] : Date.now())
        .toISOString()
        .slice(11, 19);
      const level = (LEVEL_NAMES[record['level'] as number] ?? String(record['level'])).padEnd(5);
      const fields = Object.entries(record)
        .filter(([key]) => !SKIPPED.has(key) && key !== 'err')
        .map(([key, value]) => `${key}=${formatValue(value)}`);
      const err = record['err'] as { stack?: string; message?: string } | undefined;
      const stack = err ? `\n  ${(err.stack ?? err.message ?? '').replace(/\n/g, '\n  ')}` : '';
      out.write(
        `${time} ${level} ${String(record['msg'] ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}${stack}\n`,
      );
    },
  };
}
