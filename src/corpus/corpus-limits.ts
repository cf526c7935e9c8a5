/**
 * The settings that bound what the corpus reader will read.
 */

/** Limits on reading a corpus folder. */
export interface CorpusLimits {
  /**
   * Largest article file read, in bytes; a larger file is a problem line and is
   * not indexed. The CLI sets it in MiB (`MAX_FILE_MB`, 1–1024). Default 32 MiB
   * (the largest reference file, a Reuters export, is 20 MB).
   */
  maxFileBytes: number;
  /**
   * Follow symbolic links whose target is outside the corpus folder. Default
   * false: such a link is a problem line, so `ln -s /etc/passwd corpus/p.txt`
   * serves nothing. Links that stay inside the corpus are always followed.
   */
  followOutsideLinks: boolean;
}

/** One mebibyte, the unit of the `MAX_FILE_MB` setting. */
export const MIB = 1024 * 1024;

/** The defaults of {@link CorpusLimits}: 32 MiB per file, links kept inside the corpus. */
export const DEFAULT_CORPUS_LIMITS: CorpusLimits = { maxFileBytes: 32 * MIB, followOutsideLinks: false };

/** `limits` over the defaults. */
export function withCorpusLimits(limits: Partial<CorpusLimits> | undefined): CorpusLimits {
  return { ...DEFAULT_CORPUS_LIMITS, ...limits };
}
