/**
 * Heaps' law, V = K·n^β: how many distinct word forms (V) a text of n tokens holds.
 * Fitted on the real corpus (pure), then used by the scale-up generator to decide
 * how many new words a larger archive brings.
 */

/** One point of a vocabulary-growth curve. */
export interface VocabularyPoint {
  /** Tokens read so far. */
  tokens: number;
  /** Distinct word forms among them. */
  distinctForms: number;
}

/** A fitted Heaps' law. */
export interface HeapsFit {
  /** The constant K (distinct forms at n = 1, extrapolated). */
  k: number;
  /** The exponent β, in (0, 1) for natural text; news text is usually 0.4–0.7. */
  beta: number;
  /** Coefficient of determination of the log-log fit, 0–1. */
  r2: number;
  /** Points the fit used (n ≥ `minTokens`). */
  points: number;
}

/**
 * Least-squares fit of log V = log K + β·log n over the points with at least
 * `minTokens` tokens (default 10,000: the first few thousand tokens bend the curve).
 * Throws when fewer than two points qualify.
 */
export function fitHeapsLaw(curve: readonly VocabularyPoint[], minTokens = 10_000): HeapsFit {
  const pts = curve.filter((p) => p.tokens >= minTokens && p.distinctForms > 0);
  if (pts.length < 2) throw new Error(`Heaps' law: need two points with ≥ ${minTokens} tokens, got ${pts.length}`);
  const xs = pts.map((p) => Math.log(p.tokens));
  const ys = pts.map((p) => Math.log(p.distinctForms));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  const beta = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { k: Math.exp(my - beta * mx), beta, r2, points: pts.length };
}

/**
 * Records a vocabulary-growth curve while tokens stream in: a point each time
 * the token count passes the next checkpoint (geometric, ×`step`, from 100 tokens).
 */
export class VocabularyCurve {
  /** The points recorded so far, in increasing token order. */
  readonly points: VocabularyPoint[] = [];
  private next = 100;

  constructor(private readonly step = 1.2) {}

  /** Call after each text with the running totals. */
  record(tokens: number, distinctForms: number): void {
    if (tokens < this.next) return;
    this.points.push({ tokens, distinctForms });
    while (this.next <= tokens) this.next *= this.step;
  }
}

/**
 * The vocabulary Heaps' law predicts at `tokens`, anchored at a measured point:
 * V(n) = V0·(n/n0)^β, the fitted exponent through the real corpus's own end point
 * (so the generated text continues the real curve without a jump).
 */
export function heapsTarget(anchor: VocabularyPoint, beta: number, tokens: number): number {
  return anchor.distinctForms * Math.pow(tokens / anchor.tokens, beta);
}
