/** Background jobs as main reports them (`job.updated` events and snapshots). */
import { create } from 'zustand';
import type { Job } from '@app/jobs/types';

export interface JobsStore {
  jobs: Record<string, Job>;
  setAll(jobs: Job[]): void;
  upsert(job: Job): void;
  clear(): void;
}

export const useJobs = create<JobsStore>()((set) => ({
  jobs: {},
  setAll: (jobs) => set({ jobs: Object.fromEntries(jobs.map((j) => [j.id, j])) }),
  upsert: (job) =>
    set((s) => {
      const prev = s.jobs[job.id];
      // Events can arrive out of order across reconnects: keep the newest.
      if (prev && prev.updatedAt > job.updatedAt) return {};
      return { jobs: { ...s.jobs, [job.id]: job } };
    }),
  clear: () => set({ jobs: {} }),
}));
