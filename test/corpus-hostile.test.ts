/**
 * Hostile and careless corpora: special files, oversized files and symbolic
 * links must become problem lines, never a hang, a crash or an exposed file.
 * Every fixture is made in a temp folder at test time (FIFOs, sockets and
 * symbolic links do not survive git).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCorpus, readCorpus } from '../src/corpus/read-corpus.js';
import { openIndex } from '../src/index/open-index.js';

const canMakeFifo = process.platform !== 'win32';
// A hang guard, far above the time any of these takes (tens of ms): a read that blocks fails the test.
const HANG_GUARD_MS = 20_000;

let dir: string;
let corpusDir: string;
let outside: string;
const servers: Server[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nrs-hostile-'));
  corpusDir = path.join(dir, 'corpus');
  outside = path.join(dir, 'outside');
  await mkdir(path.join(corpusDir, 'world'), { recursive: true });
  await mkdir(outside);
  await writeFile(
    path.join(corpusDir, 'world', 'floods.txt'),
    'Floods displace thousands\n\nRiver floods displaced thousands of families.\n',
  );
});

afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

function problemFor(problems: { file: string; message: string }[], file: string): string | undefined {
  return problems.find((problem) => problem.file === file)?.message;
}

describe.skipIf(!canMakeFifo)('special files in the corpus', () => {
  it('lists a FIFO as a problem with its type, reads the rest, and does not wait for a writer', {
    timeout: HANG_GUARD_MS,
  }, async () => {
    execFileSync('mkfifo', [path.join(corpusDir, 'pipe.txt')]);
    const { articles, problems, files } = await readCorpus(corpusDir);
    expect(problemFor(problems, 'pipe.txt')).toBe('not a regular file: FIFO (named pipe); not read');
    expect(articles.map((article) => article.id)).toEqual(['world/floods']);
    expect(files.map((file) => file.path)).toEqual(['world/floods.txt']);
  });

  it('does not follow a symbolic link to /dev/zero out of the corpus, and names the device when outside links are allowed', {
    timeout: HANG_GUARD_MS,
  }, async () => {
    await symlink('/dev/zero', path.join(corpusDir, 'zero.txt'));
    const strict = await readCorpus(corpusDir);
    expect(problemFor(strict.problems, 'zero.txt')).toBe('not followed: symbolic link to outside the corpus folder');
    const lax = await readCorpus(corpusDir, { limits: { followOutsideLinks: true } });
    expect(problemFor(lax.problems, 'zero.txt')).toBe(
      'not a regular file: symbolic link to a character device; not read',
    );
    expect(lax.articles.map((article) => article.id)).toEqual(['world/floods']);
  });

  it('lists a socket as a problem with its type', { timeout: HANG_GUARD_MS }, async () => {
    const socketPath = path.join(corpusDir, 'world', 'sock.txt');
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    const { problems, articles } = await readCorpus(corpusDir);
    expect(problemFor(problems, 'world/sock.txt')).toBe('not a regular file: socket; not read');
    expect(articles).toHaveLength(1);
  });

  it('lists a FIFO behind a symbolic link inside the corpus by its type', { timeout: HANG_GUARD_MS }, async () => {
    execFileSync('mkfifo', [path.join(corpusDir, 'world', 'pipe.fifo')]);
    await symlink('pipe.fifo', path.join(corpusDir, 'world', 'piped.txt'));
    const { problems } = await readCorpus(corpusDir);
    expect(problemFor(problems, 'world/piped.txt')).toBe(
      'not a regular file: symbolic link to a FIFO (named pipe); not read',
    );
    expect(problemFor(problems, 'world/pipe.fifo')).toBe('not a regular file: FIFO (named pipe); not read');
  });

  it('opens the index of a corpus holding a FIFO and /dev/zero, and checks it again from the cache', {
    timeout: HANG_GUARD_MS,
  }, async () => {
    execFileSync('mkfifo', [path.join(corpusDir, 'pipe.txt')]);
    await symlink('/dev/zero', path.join(corpusDir, 'zero.txt'));
    const cacheDir = path.join(dir, 'cache');
    for (const expected of ['rebuilt', 'loaded'] as const) {
      const opened = await openIndex({ corpusDir, cacheDir, corpusLimits: { followOutsideLinks: true } });
      expect(opened.state).toBe(expected);
      expect(opened.index.articleCount).toBe(1);
      expect(opened.problems.map((problem) => problem.file)).toEqual(['pipe.txt', 'zero.txt']);
    }
  });
});

describe('symbolic links', () => {
  it('does not index a link to a file outside the corpus (no /etc/passwd over HTTP)', async () => {
    await writeFile(path.join(outside, 'secret.txt'), 'Secret\n\nroot:x:0:0:root:/root:/bin/bash\n');
    await symlink(path.join(outside, 'secret.txt'), path.join(corpusDir, 'p.txt'));
    const { problems, articles, files } = await readCorpus(corpusDir);
    expect(problemFor(problems, 'p.txt')).toBe('not followed: symbolic link to outside the corpus folder');
    expect(articles.map((article) => article.id)).toEqual(['world/floods']);
    expect(files.map((file) => file.path)).toEqual(['world/floods.txt']);
  });

  it('follows a link outside the corpus when the setting allows it', async () => {
    await writeFile(path.join(outside, 'shared.txt'), 'Shared desk\n\nA story kept on a shared drive.\n');
    await symlink(path.join(outside, 'shared.txt'), path.join(corpusDir, 'shared.txt'));
    const { articles } = await readCorpus(corpusDir, { limits: { followOutsideLinks: true } });
    expect(articles.map((article) => article.id)).toEqual(['shared', 'world/floods']);
  });

  it('follows a link that stays inside the corpus, also through a relative path', async () => {
    await symlink('world/floods.txt', path.join(corpusDir, 'latest.txt'));
    const { articles, problems } = await readCorpus(corpusDir);
    expect(problems).toEqual([]);
    expect(articles.map((article) => article.id)).toEqual(['latest', 'world/floods']);
  });

  it('does not follow a link that climbs out with ../ even when its name looks inside', async () => {
    await writeFile(path.join(outside, 'x.txt'), 'Outside\n\nOutside text.\n');
    await symlink('../../outside/x.txt', path.join(corpusDir, 'world', 'x.txt'));
    const { problems } = await readCorpus(corpusDir);
    expect(problemFor(problems, 'world/x.txt')).toBe('not followed: symbolic link to outside the corpus folder');
  });
});

describe('the file size limit', () => {
  const limit = 64 * 1024;
  const body = (bytes: number): string => {
    const header = 'Big story\n\n';
    return header + 'word '.repeat(Math.ceil(bytes / 5)).slice(0, bytes - header.length - 1) + '\n';
  };

  it('indexes a file of exactly the limit and lists a larger one with its size and the limit', async () => {
    await writeFile(path.join(corpusDir, 'at-limit.txt'), body(limit));
    await writeFile(path.join(corpusDir, 'over-limit.txt'), body(limit + 1));
    const { articles, problems, files } = await readCorpus(corpusDir, { limits: { maxFileBytes: limit } });
    expect(articles.map((article) => article.id)).toEqual(['at-limit', 'world/floods']);
    expect(problemFor(problems, 'over-limit.txt')).toBe(
      'too large: 64 KiB, over the file size limit of 64 KiB (MAX_FILE_MB); not indexed',
    );
    expect(files.map((file) => file.path)).toEqual(['at-limit.txt', 'world/floods.txt']);
  });

  it('applies the limit when checking a corpus against a snapshot, too', async () => {
    await writeFile(path.join(corpusDir, 'grown.txt'), body(1000));
    const first = await checkCorpus(corpusDir, [], { limits: { maxFileBytes: limit } });
    expect(first.changed).toEqual(['grown.txt', 'world/floods.txt']);
    await writeFile(path.join(corpusDir, 'grown.txt'), body(limit * 2));
    const second = await checkCorpus(corpusDir, first.files, { limits: { maxFileBytes: limit } });
    expect(second.removed).toEqual(['grown.txt']);
    expect(problemFor(second.problems, 'grown.txt')).toMatch(/^too large: 128 KiB, over the file size limit/);
  });
});
