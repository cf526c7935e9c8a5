/**
 * A commit that is valid JSON with the wrong field types is set aside and the
 * index rebuilt, every time: never a crash loop.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndex } from '../src/index/open-index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let dir: string;
let corpusDir: string;
let cacheDir: string;
let logs: string[];

const open = () => openIndex({ corpusDir, cacheDir, log: (line) => logs.push(line) });

async function editCommit(edit: (commit: Record<string, unknown>) => void): Promise<void> {
  const file = path.join(cacheDir, 'commit.json');
  const commit = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(commit);
  await writeFile(file, JSON.stringify(commit));
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nrs-commit-'));
  corpusDir = path.join(dir, 'corpus');
  cacheDir = path.join(dir, 'cache');
  logs = [];
  await mkdir(corpusDir);
  await writeFile(
    path.join(corpusDir, 'floods.txt'),
    'Floods displace thousands\n\nRiver floods displaced thousands of families.\n',
  );
  await writeFile(path.join(corpusDir, 'markets.txt'), 'Markets rally\n\nStock markets rallied on Tuesday.\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a commit with wrong field types', () => {
  it.each<[string, (commit: Record<string, unknown>) => void]>([
    ['"corpus":[null]', (m) => (m.corpus = [null])],
    ['a corpus file without a path', (m) => ((m.corpus as Record<string, unknown>[])[0]!.path = 7)],
    ['a corpus file with a string size', (m) => ((m.corpus as Record<string, unknown>[])[0]!.size = '12')],
    ['a corpus file with a bad hash', (m) => ((m.corpus as Record<string, unknown>[])[0]!.hash = 'nope')],
    ['a corpus file with a string mtime', (m) => ((m.corpus as Record<string, unknown>[])[0]!.mtimeMs = 'yesterday')],
    ['the same corpus file twice', (m) => (m.corpus = [...(m.corpus as unknown[]), (m.corpus as unknown[])[0]])],
    ['problems that are not a list', (m) => (m.problems = 'none')],
    ['a problem with no message', (m) => (m.problems = [{ file: 'a.txt' }])],
    ['a null lexicon', (m) => (m.lexicon = null)],
    [
      'a segment with a foreign file name',
      (m) => ((m.segments as Record<string, unknown>[])[0]!.file = '../../etc/passwd'),
    ],
    ['an article count as text', (m) => (m.articles = '2')],
    ['no fields at all', (m) => Object.keys(m).forEach((key) => delete m[key])],
  ])('is set aside and rebuilt when it has %s, then loads', async (_name, edit) => {
    await open();
    await editCommit(edit);
    const rebuilt = await open();
    expect(rebuilt.state).toBe('rebuilt');
    expect(rebuilt.index.articleCount).toBe(2);
    expect(logs.join('\n')).toMatch(/commit is malformed/);
    expect(await readdir(path.join(cacheDir, 'set-aside'))).toContain('commit.json');
    expect((await open()).state).toBe('loaded');
  });

  it('does not make `npm run index` exit 1 on `"corpus":[null]`', { timeout: 60_000 }, async () => {
    await open();
    await editCommit((m) => (m.corpus = [null]));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', 'index', '--corpus', corpusDir, '--cache', cacheDir],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (data) => (out += data));
    child.stderr.on('data', (data) => (err += data));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(err).toMatch(/commit is malformed: commit field corpus\[0\]\.\(not an object\)/);
    expect(out).toMatch(/articles: {3}2/);
    expect(code).toBe(0);
  });
});
