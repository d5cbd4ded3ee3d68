// What the core reports about components: a loaded component's summary, and a prepared (fetched, not loaded) one.
import type { JSONSchema } from '../component/schema.js';
import type { Policy } from '../sandbox/policy.js';
import type { LoadedComponent } from './catalog.js';
import type { FetchedComponent } from './fetch-component.js';

export interface ComponentSummary {
  id: string;
  source: string;
  digest: string;
  tools: string[];
  verification?: unknown;
  policy?: unknown;
  warnings?: string[];
  /** Present when a recorded component cannot be served right now; `error` says why. */
  status?: 'unavailable';
  error?: string;
}

/** A fetched, verified and described component that is not registered (inspect, publish, approval prompts). */
/** The loaded version a load replaces: its id and the digest it must still hold for the load to be an upgrade in place. */
export interface Replacing {
  id: string;
  digest: string;
}

export interface Prepared {
  fetched: FetchedComponent;
  component: LoadedComponent;
  policy: Policy | undefined;
  warnings: string[];
  /** The tools as they would be named if it were loaded now. */
  tools: Array<{ name: string; description: string; inputSchema: JSONSchema; outputSchema: JSONSchema }>;
}
