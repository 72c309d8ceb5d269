/**
 * One progress figure per job: a stage message with its own percentage ("Encoding 4%")
 * beside the job's overall one ("5%") read as two different numbers.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../app/jobs/types.js';
import { JobRow } from '../../renderer/src/components/jobs/JobsPanel.js';
import { jobMessageText } from '../../renderer/src/lib/format.js';

afterEach(cleanup);

const job = (message: string, progress: number): Job => ({
  id: 'job_1',
  kind: 'export',
  state: 'running',
  resource: 'cpu',
  progress,
  etaSeconds: 12,
  message,
  title: 'Export harbour.mp4',
  payload: null,
  result: null,
  error: null,
  attempts: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:01Z',
});

describe('job progress text', () => {
  it('drops a stage percentage from the message, and keeps messages without one', () => {
    expect(jobMessageText('Encoding 4%')).toBe('Encoding');
    expect(jobMessageText('Analyzing camera motion (12.5 %)')).toBe('Analyzing camera motion');
    expect(jobMessageText('Rendering stabilized preview 100%')).toBe('Rendering stabilized preview');
    expect(jobMessageText('Probing 3 of 4 files')).toBe('Probing 3 of 4 files');
    expect(jobMessageText('')).toBe('');
  });

  it('a running job row shows exactly one percentage: the job’s own', () => {
    render(<JobRow job={job('Encoding 4%', 0.05)} />);
    const text = screen.getByTestId('job-row').textContent ?? '';
    expect(text.match(/\d+\s*%/g)).toEqual(['5%']);
    expect(text).toContain('Encoding');
  });
});
