/** Shared benchmark reporting: each figure beside the baseline measured in the same run. */
export interface Row {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  baselineName?: string;
  target?: string;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function printTable(rows: Row[]): void {
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(3));
  for (const r of rows) {
    const ratio = r.baseline ? ` | ratio ${(r.value / r.baseline).toFixed(2)}× vs ${r.baselineName} (${fmt(r.baseline)} ${r.unit})` : '';
    console.log(`${r.name}: ${fmt(r.value)} ${r.unit}${ratio}${r.target ? ` | target ${r.target}` : ''}`);
  }
}
