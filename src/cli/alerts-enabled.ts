import type { CliSettings } from './parse-args.js';

/** Whether the service keeps saved searches: a key is set (they are never anonymous) and `MAX_ALERTS` > 0. */
export function alertsEnabled(settings: Pick<CliSettings, 'maxAlerts' | 'adminKey' | 'searchKey'>): boolean {
  return settings.maxAlerts > 0 && (settings.adminKey !== null || settings.searchKey !== null);
}
