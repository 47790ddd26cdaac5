/** The benchmarks' arithmetic: a percentile (`p` as a fraction, 0.95) and rounding for the tables. */
export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
};
export const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
