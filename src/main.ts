/**
 * The entry point, and the only module that reads `process.env` and `process.argv`
 * or calls `process.exit`. `serve` (default) runs the HTTP service; `index` builds
 * or updates the index cache and prints a summary.
 */
import cluster from 'node:cluster';
import { SearchError } from './errors.js';
import { parseArgs, USAGE, type CliSettings } from './cli/parse-args.js';
import { runIndexCommand, type Output } from './cli/index-command.js';
import { runCluster, startServer } from './cli/serve-command.js';

const output: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
};

async function serve(settings: CliSettings): Promise<void> {
  if (settings.workers > 1 && cluster.isPrimary) {
    await runCluster(settings, output);
    process.exit(0);
  }
  let running: Awaited<ReturnType<typeof startServer>> | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    output.err(`${signal}: finishing requests in flight, then exiting\n`);
    await running?.close();
    process.exit(0);
  };
  // Before the server starts: a signal that arrives while it binds or the index loads
  // must find a handler, not the default action (killed by the signal, no clean exit).
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  running = await startServer(settings, output);
  running.ready.catch((error: unknown) => {
    output.err(`cannot load the index: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

async function main(): Promise<void> {
  let settings: CliSettings;
  try {
    settings = parseArgs(process.argv.slice(2), process.env);
  } catch (error) {
    output.err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (settings.command === 'help') {
    output.out(USAGE);
    return;
  }
  if (settings.command === 'index') {
    process.exit(await runIndexCommand(settings, output));
  }
  await serve(settings);
}

main().catch((error: unknown) => {
  const message = error instanceof SearchError || error instanceof Error ? error.message : String(error);
  output.err(`newsroom-search: ${message}\n`);
  process.exit(1);
});
