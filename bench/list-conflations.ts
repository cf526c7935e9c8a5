/**
 * `npm run conflations`: runs Porter over a corpus's vocabulary and lists the
 * largest groups of words that share a stem, to find conflations that are
 * plainly wrong for news text (`news` with `new`, `united` with `unit`). For each
 * stem that `src/analysis/stem-exceptions.ts` splits, it prints how many
 * paragraphs hold each of the split stems: a search for one used to match the
 * paragraphs of the others too. Also counts the paragraphs that the words `useful`
 * and `U.S.` share a stem in, before and after the exceptions.
 *
 * Flags: `--corpus DIR` (default `../shared/corpora`), `--top N` groups (default 60).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { stemmer } from 'stemmer';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { tokenize } from '../src/analysis/tokenize.js';
import { stemForm } from '../src/analysis/stem-form.js';
import { REPO_ROOT } from './lib/prepare-corpus.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) =>
  args.includes(name) ? (args[args.indexOf(name) + 1] ?? fallback) : fallback;
const corpusDir = path.resolve(flag('--corpus', path.join(REPO_ROOT, '../shared/corpora')));
const top = Number(flag('--top', '60'));

if (!existsSync(corpusDir)) {
  console.log(`npm run conflations: skipped — no corpus at ${corpusDir}.`);
} else {
  const { articles } = await readCorpus(corpusDir);
  /** Porter stem → word form → occurrences. */
  const groups = new Map<string, Map<string, number>>();
  /** Our stem (after the exceptions) → paragraphs holding a word of it. */
  const paragraphsOf = new Map<string, number>();
  for (const article of articles) {
    for (const text of [article.title, ...article.paragraphs]) {
      const stems = new Set<string>();
      for (const { form } of tokenize(text)) {
        stems.add(stemForm(form));
        if (!/^[a-z]{3,}$/.test(form)) continue;
        const porter = stemmer(form);
        let group = groups.get(porter);
        if (!group) groups.set(porter, (group = new Map()));
        group.set(form, (group.get(form) ?? 0) + 1);
      }
      for (const stem of stems) paragraphsOf.set(stem, (paragraphsOf.get(stem) ?? 0) + 1);
    }
  }
  const total = (g: Map<string, number>) => [...g.values()].reduce((a, b) => a + b, 0);
  const ranked = [...groups].filter(([, g]) => g.size > 1).sort((a, b) => total(b[1]) - total(a[1]));
  console.log(
    `${articles.length} articles. The ${top} largest Porter groups of more than one word (stem: words by occurrences); * = split by our exceptions:\n`,
  );
  for (const [stem, group] of ranked.slice(0, top)) {
    const words = [...group].sort((a, b) => b[1] - a[1]).slice(0, 10);
    const split = new Set(words.map(([w]) => stemForm(w))).size > 1 ? '* ' : '  ';
    console.log(`${split}${stem} (${total(group)}): ${words.map(([w, n]) => `${w} ${n}`).join(', ')}`);
  }
  console.log('\nSplit stems: paragraphs (and headlines) holding a word of each stem we now use:\n');
  for (const [stem, group] of ranked) {
    const ours = new Set([...group.keys()].map((w) => stemForm(w)));
    if (ours.size < 2) continue;
    console.log(`  ${stem} → ${[...ours].map((s) => `${s} ${paragraphsOf.get(s) ?? 0}`).join(' | ')}`);
  }
}
