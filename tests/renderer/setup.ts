/**
 * Setup for the renderer (jsdom) suites. Answers come from real services (SQLite, file probes) in
 * this process; on a 2-core machine running other suites beside these, an answer can take longer
 * than Testing Library's default 1 s wait, which made `waitFor` fail while the UI was right. The
 * assertions keep their meaning; only the patience grows.
 */
import { configure } from '@testing-library/react';

configure({ asyncUtilTimeout: 10_000 });
