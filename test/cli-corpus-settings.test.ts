/** The corpus-reading settings on the command line: file size limit, symbolic links, --verify. */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/parse-args.js';

const MIB = 1024 * 1024;

describe('corpus settings', () => {
  it('defaults to 32 MiB per file, links inside the corpus only, no verify', () => {
    const settings = parseArgs(['index'], {});
    expect(settings).toMatchObject({
      maxFileBytes: 32 * MIB,
      followOutsideLinks: false,
      verify: false,
      rebuild: false,
    });
  });

  it('reads MAX_FILE_MB and CORPUS_SYMLINKS, and the flags win over them', () => {
    expect(parseArgs(['index'], { MAX_FILE_MB: '8', CORPUS_SYMLINKS: 'anywhere' })).toMatchObject({
      maxFileBytes: 8 * MIB,
      followOutsideLinks: true,
    });
    expect(
      parseArgs(['index', '--max-file-mb', '2', '--symlinks=inside'], {
        MAX_FILE_MB: '8',
        CORPUS_SYMLINKS: 'anywhere',
      }),
    ).toMatchObject({
      maxFileBytes: 2 * MIB,
      followOutsideLinks: false,
    });
  });

  it('takes --verify and --rebuild without a value, before or after other flags', () => {
    expect(parseArgs(['index', '--verify', '--corpus', 'c'], {})).toMatchObject({
      verify: true,
      rebuild: false,
      corpusDir: 'c',
    });
    expect(parseArgs(['index', '--rebuild'], {})).toMatchObject({ verify: false, rebuild: true });
    expect(parseArgs(['serve', '--port', '0', '--verify'], {})).toMatchObject({ verify: true, command: 'serve' });
  });

  it.each([
    [['--max-file-mb', '0'], '--max-file-mb must be an integer from 1 to 1024, got `0`.'],
    [['--max-file-mb', '2048'], '--max-file-mb must be an integer from 1 to 1024, got `2048`.'],
    [['--symlinks', 'all'], '--symlinks must be one of inside, anywhere, got `all`.'],
  ])('rejects %j', (args, message) => {
    expect(() => parseArgs(['index', ...args], {})).toThrow(message);
  });
});
