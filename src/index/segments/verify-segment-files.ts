import { readHeader, SectionSource, verifySections } from './segment-file.js';

/** A segment file that failed its check, and why. */
export interface SegmentFault {
  file: string;
  message: string;
}

/**
 * Checks every byte of each segment file against its sections' checksums (the
 * work `--verify` does at open, here for the background check once the service
 * answers). Returns the files that fail, with the reason; an empty list when
 * all pass. A file gone since it was listed (a merge replaced it and the commit
 * that followed removed it) is no fault: it no longer serves.
 */
export function verifySegmentFiles(files: readonly string[]): SegmentFault[] {
  const faults: SegmentFault[] = [];
  for (const file of files) {
    let source: SectionSource;
    try {
      source = SectionSource.ofFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      faults.push({ file, message: (error as Error).message });
      continue;
    }
    try {
      verifySections(source, readHeader(source).sections);
    } catch (error) {
      faults.push({ file, message: (error as Error).message });
    } finally {
      source.close();
    }
  }
  return faults;
}
