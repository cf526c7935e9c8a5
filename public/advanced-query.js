/**
 * The "Advanced search" form's fields written as one query in the syntax the
 * search box takes, so the form and typing give the same `q` and the same URL.
 * Pure: no DOM.
 *
 * @typedef {object} AdvancedFields
 * @property {string} all All these words.
 * @property {string} phrase This exact phrase.
 * @property {string} nearA First word of a proximity pair.
 * @property {string} nearB Second word of it.
 * @property {number} nearDistance Most words between them (1–50).
 * @property {'words'|'sentence'|'paragraph'} [nearUnit] `words` (default): within `nearDistance` words; or in one sentence, or one paragraph.
 * @property {string} any Any of these words.
 * @property {string} none None of these words.
 * @property {string} title Words that must be in the headline.
 * @property {string} author Author name.
 * @property {string} section Section name.
 * @property {string} [lead] Words (or phrases) that must be in the headline or the first paragraph.
 * @property {string} [atLeastWord] A word the article must say at least `atLeastCount` times.
 * @property {number} [atLeastCount] How many times (2–100; default 3).
 * @property {string} [person] A person named in the article.
 * @property {string} [org] An organisation named in it.
 * @property {string} [place] A place named in it.
 */

/** Default and bounds of the count of a repeated word. */
export const AT_LEAST_DEFAULT = 3;
export const AT_LEAST_MAX = 100;

/** Default and bounds of the distance of a NEAR pair, in words. */
export const NEAR_DEFAULT = 5;
export const NEAR_MAX = 50;

/**
 * The words and quoted phrases of a field, quotes kept (`a "b c" d` → `a`, `"b c"`, `d`);
 * an unclosed quote is closed.
 * @param {string} text
 * @returns {string[]}
 */
export function termsOf(text) {
  const out = [];
  for (const m of text.matchAll(/"([^"]*)"?|[^\s"]+/g)) {
    if (m[1] !== undefined) {
      const phrase = m[1].trim().replace(/\s+/g, ' ');
      if (phrase) out.push(`"${phrase}"`);
    } else out.push(m[0]);
  }
  return out;
}

/**
 * Bare words of a field (quotes, parentheses and a leading `-` taken off): for
 * places where the syntax wants one word each.
 * @param {string} text
 * @returns {string[]}
 */
function wordsOf(text) {
  return text
    .replace(/["()]/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^-+/, ''))
    .filter((w) => w !== '' && !/^(AND|OR|NOT)$/.test(w));
}

/**
 * `field:value`, quoted when the value has several words (`author:"ana costa"`).
 * @param {string} field
 * @param {string} text
 */
function fielded(field, text) {
  const words = wordsOf(text);
  if (words.length === 0) return '';
  return words.length === 1 ? `${field}:${words[0]}` : `${field}:"${words.join(' ')}"`;
}

/**
 * The query the fields ask for: all words as typed; `"the phrase"`; `a NEAR/n b`
 * (or `a w/s b`, `a w/p b`); `(x OR y)` (a lone word bare); `-z` for each excluded word;
 * `title:` on each headline word or phrase; `author:` and `section:` on their value (quoted when
 * several words); `lead:` on each lead word or phrase; `atleastN:word`; `person:`, `org:`,
 * `place:` on their value. Empty fields add nothing.
 * @param {AdvancedFields} fields
 * @returns {string}
 */
export function queryFromFields(fields) {
  const parts = [];
  parts.push(...termsOf(fields.all));
  const phrase = wordsOf(fields.phrase).join(' ');
  if (phrase) parts.push(`"${phrase}"`);
  const [a] = wordsOf(fields.nearA);
  const [b] = wordsOf(fields.nearB);
  const distance =
    Number.isInteger(fields.nearDistance) && fields.nearDistance >= 1
      ? Math.min(fields.nearDistance, NEAR_MAX)
      : NEAR_DEFAULT;
  const operator =
    fields.nearUnit === 'sentence' ? 'w/s' : fields.nearUnit === 'paragraph' ? 'w/p' : `NEAR/${distance}`;
  if (a && b) parts.push(`${a} ${operator} ${b}`);
  else if (a || b) parts.push(/** @type {string} */ (a ?? b));
  const any = termsOf(fields.any).filter((t) => !/^(AND|OR|NOT)$/.test(t));
  if (any.length === 1) parts.push(any[0]);
  else if (any.length > 1) parts.push(`(${any.join(' OR ')})`);
  for (const t of termsOf(fields.none)) {
    const bare = t.replace(/^-+/, '');
    if (bare) parts.push(`-${bare}`);
  }
  for (const t of termsOf(fields.title)) parts.push(`title:${t.replace(/^-+/, '')}`);
  const author = fielded('author', fields.author);
  if (author) parts.push(author);
  const section = fielded('section', fields.section);
  if (section) parts.push(section);
  for (const t of termsOf(fields.lead ?? '')) parts.push(`lead:${t.replace(/^-+/, '')}`);
  const [repeated] = wordsOf(fields.atLeastWord ?? '');
  const count =
    Number.isInteger(fields.atLeastCount) && /** @type {number} */ (fields.atLeastCount) >= 1
      ? Math.min(/** @type {number} */ (fields.atLeastCount), AT_LEAST_MAX)
      : AT_LEAST_DEFAULT;
  if (repeated) parts.push(`atleast${count}:${repeated}`);
  for (const name of /** @type {const} */ (['person', 'org', 'place'])) {
    const entity = fielded(name, fields[name] ?? '');
    if (entity) parts.push(entity);
  }
  return parts.filter(Boolean).join(' ');
}
