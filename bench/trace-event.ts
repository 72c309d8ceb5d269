/** One event of a Chromium performance trace (the fields the trace readers in bench/ use). */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  /** Start, microseconds. */
  ts: number;
  /** Wall duration of a complete ('X') event, microseconds. */
  dur?: number;
  /** Thread (CPU) duration, microseconds, where the trace records it. */
  tdur?: number;
  args?: { name?: string; data?: { name?: string } };
}
