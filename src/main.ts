/**
 * The entry point, and the only module that reads `process.env` and `process.argv`
 * or calls `process.exit`. `serve` (default) runs the HTTP service; `index` builds
 * or updates the index cache and prints a summary. Exit codes: 0 done or stopped
 * cleanly, 1 a failure (the index could not be loaded), 2 a bad setting.
 */
import cluster from 'node:cluster';
import { SearchError } from './errors.js';
import { parseArgs, USAGE, type CliSettings } from './cli/parse-args.js';
import { runIndexCommand, type Output } from './cli/index-command.js';
import { runImportCommand } from './cli/import-command.js';
import { runCluster } from './cli/cluster-command.js';
import { startServer } from './cli/serve-command.js';
import { createLogger, type Logger } from './log/create-logger.js';
import { recordStrayError } from './log/stray-errors.js';
import { isConnectionError } from './store/pg-store.js';

const output: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
};

function loggerFor(settings: CliSettings): Logger {
  const pretty = settings.logFormat === 'pretty' || (settings.logFormat === 'auto' && Boolean(process.stderr.isTTY));
  return createLogger({ level: settings.logLevel, format: pretty ? 'pretty' : 'json' });
}

async function serve(settings: CliSettings): Promise<void> {
  const logger = loggerFor(settings);
  // The last resort: a lost connection's 'error' event that nothing listened for (a PostgreSQL
  // restart) is logged and counted, and the service goes on; anything else is a bug and ends it.
  process.on('uncaughtException', (error) => {
    if (isConnectionError(error)) {
      recordStrayError();
      logger.error(
        { err: error },
        `survived a stray connection error (${error.message}); counted in newsroom_search_stray_errors_total`,
      );
      return;
    }
    logger.fatal({ err: error }, `uncaught error: ${error.message}`);
    process.exit(1);
  });
  if (settings.workers > 1 && cluster.isPrimary) {
    await runCluster(settings, logger);
    process.exit(0);
  }
  let running: Awaited<ReturnType<typeof startServer>> | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${signal}: finishing requests in flight, then exiting`);
    await running?.close();
    logger.info('stopped');
    process.exit(0);
  };
  // Before the server starts: a signal that arrives while it binds or the index loads
  // must find a handler, not the default action (killed by the signal, no clean exit).
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  running = await startServer(settings, logger);
  running.ready.catch((error: unknown) => {
    logger.fatal({ err: error }, `cannot load the index: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

async function main(): Promise<void> {
  let settings: CliSettings;
  try {
    settings = parseArgs(process.argv.slice(2), process.env);
  } catch (error) {
    output.err(`newsroom-search: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (settings.command === 'help') {
    output.out(USAGE);
    return;
  }
  if (settings.command === 'index') {
    process.exit(await runIndexCommand(settings, output));
  }
  if (settings.command === 'import') {
    process.exit(await runImportCommand(settings, output));
  }
  await serve(settings);
}

main().catch((error: unknown) => {
  const message = error instanceof SearchError || error instanceof Error ? error.message : String(error);
  output.err(`newsroom-search: ${message}\n`);
  process.exit(1);
});
