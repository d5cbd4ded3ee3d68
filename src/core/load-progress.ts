// The stages a component load reports as MCP progress: a fixed order, so progress only grows and a client can
// show "step n of total" whatever the source (a file skips the registry stages, a cached pull the download).
import type { Progress } from './call-context.js';

export const LOAD_STAGES = ['resolve', 'download', 'verify', 'describe', 'approval', 'transpile', 'done'] as const;
export type LoadStage = (typeof LOAD_STAGES)[number];

/** Called at the start of each stage a load goes through, with a line for a person. */
export type OnLoadStage = (stage: LoadStage, message: string) => void;

/** Maps load stages onto a progress reporter (undefined when the client asked for no progress). */
export function loadProgress(progress: Progress | undefined): OnLoadStage | undefined {
  if (!progress) return undefined;
  return (stage, message) => progress(LOAD_STAGES.indexOf(stage) + 1, LOAD_STAGES.length, message);
}
