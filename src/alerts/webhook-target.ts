import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { SearchError } from '../errors.js';

/** Address ranges a webhook may not reach unless allowed: loopback, private, link-local, and other non-public ones. */
const BLOCKED_RANGES: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this" network
  ['10.0.0.0', 8, 'ipv4'], // private
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'], // loopback
  ['169.254.0.0', 16, 'ipv4'], // link-local (cloud metadata services)
  ['172.16.0.0', 12, 'ipv4'], // private
  ['192.0.0.0', 24, 'ipv4'], // protocol assignments
  ['192.168.0.0', 16, 'ipv4'], // private
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 128, 'ipv6'], // unspecified
  ['::1', 128, 'ipv6'], // loopback
  ['fc00::', 7, 'ipv6'], // unique local (private)
  ['fe80::', 10, 'ipv6'], // link-local
  ['ff00::', 8, 'ipv6'], // multicast
];

const blocked = new BlockList();
for (const [address, prefix, family] of BLOCKED_RANGES) blocked.addSubnet(address, prefix, family);

/** The operator's exceptions (`ALERT_WEBHOOK_ALLOW`): host names, addresses and CIDR ranges. */
export interface WebhookAllowList {
  hosts: Set<string>;
  ranges: BlockList;
}

/**
 * Parses `ALERT_WEBHOOK_ALLOW`: comma-separated host names (`hooks.internal`),
 * addresses (`127.0.0.1`, `::1`) and CIDR ranges (`10.0.0.0/8`). Throws
 * `SearchError('invalid_argument')` on a malformed range.
 */
export function parseWebhookAllowList(value: string): WebhookAllowList {
  const hosts = new Set<string>();
  const ranges = new BlockList();
  for (const item of value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    const [address, bits] = item.split('/') as [string, string | undefined];
    const family = isIP(address);
    if (family === 0) {
      if (bits !== undefined)
        throw new SearchError(
          'invalid_argument',
          `ALERT_WEBHOOK_ALLOW: \`${item}\` is not a CIDR range (address/bits).`,
        );
      hosts.add(item);
      continue;
    }
    const max = family === 4 ? 32 : 128;
    const prefix = bits === undefined ? max : Number(bits);
    if (!/^\d+$/.test(bits ?? String(max)) || prefix > max)
      throw new SearchError('invalid_argument', `ALERT_WEBHOOK_ALLOW: \`${item}\` has a bad prefix length (0–${max}).`);
    ranges.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return { hosts, ranges };
}

/** An allow list that allows nothing beyond public addresses. */
export const NO_EXCEPTIONS: WebhookAllowList = { hosts: new Set(), ranges: new BlockList() };

/** A webhook target that passed the checks: the URL, and the address to connect to (pinned: never resolved again). */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Why an address is refused, or null when it is public (or allowed). */
function refusal(address: string, family: 4 | 6, allow: WebhookAllowList): string | null {
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (allow.ranges.check(address, type)) return null;
  // An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is judged as the IPv4 address it maps.
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  if (mapped !== undefined)
    return allow.ranges.check(mapped, 'ipv4') ? null : blocked.check(mapped, 'ipv4') ? mapped : null;
  return blocked.check(address, type) ? address : null;
}

/** The resolver: `dns.lookup` with every address (replaceable in tests). */
export type Resolve = (host: string) => Promise<{ address: string; family: number }[]>;
const systemResolve: Resolve = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Checks a webhook URL against server-side request forgery and returns where
 * to connect: only `http:`/`https:`, no user name or password in it, and every
 * address its host resolves to must be public — not loopback, private,
 * link-local, multicast or reserved — unless the host or the address is in
 * `allow`. The caller connects to the returned address (so a DNS answer that
 * changes after the check cannot redirect the request) and follows no redirect.
 * Throws `SearchError('invalid_alert_webhook')` naming the rule broken.
 */
export async function checkWebhookUrl(
  text: string,
  allow: WebhookAllowList,
  resolve: Resolve = systemResolve,
): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SearchError('invalid_alert_webhook', '`webhook.url` is not an absolute URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SearchError(
      'invalid_alert_webhook',
      `\`webhook.url\` must be http or https (rule: scheme), got \`${url.protocol.slice(0, 20)}\`.`,
    );
  if (url.username || url.password)
    throw new SearchError(
      'invalid_alert_webhook',
      '`webhook.url` may not carry a user name or password (rule: credentials); sign with `webhook.secret` instead.',
    );
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const literal = isIP(host);
  let addresses: { address: string; family: number }[];
  if (literal) addresses = [{ address: host, family: literal }];
  else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      throw new SearchError(
        'invalid_alert_webhook',
        `\`webhook.url\`: the host \`${host.slice(0, 100)}\` does not resolve (rule: dns, ${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
  }
  if (addresses.length === 0)
    throw new SearchError(
      'invalid_alert_webhook',
      `\`webhook.url\`: the host \`${host.slice(0, 100)}\` has no address (rule: dns).`,
    );
  const hostAllowed = allow.hosts.has(host);
  for (const { address, family } of addresses) {
    const refused = hostAllowed ? null : refusal(address, family === 6 ? 6 : 4, allow);
    if (refused !== null) {
      throw new SearchError(
        'invalid_alert_webhook',
        `\`webhook.url\` resolves to ${refused}, a loopback, private, link-local or reserved address (rule: private_address); an operator can allow it with ALERT_WEBHOOK_ALLOW.`,
      );
    }
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
