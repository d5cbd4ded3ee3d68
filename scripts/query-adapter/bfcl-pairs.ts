// Pure: (query, correct function, other offered functions) triples from the Berkeley Function Calling
// Leaderboard's data files (PyPI bfcl-eval, Apache-2.0). No MetaTool data is read here or anywhere in training.
import type { ToolInput } from '../../index/documents.js';

export interface BfclPair {
  readonly id: string;
  readonly query: string;
  readonly positive: ToolInput;
  /** The other functions the same question was offered (hard negatives). */
  readonly negatives: readonly ToolInput[];
}

interface Message {
  readonly role?: string;
  readonly content?: unknown;
}

interface FunctionDef {
  readonly name?: unknown;
  readonly description?: unknown;
  readonly parameters?: { readonly properties?: Record<string, { type?: unknown; description?: unknown }> };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON lines; blank lines skipped. */
export function parseJsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as unknown);
}

function toTool(f: FunctionDef): ToolInput | undefined {
  if (typeof f.name !== 'string' || f.name.length === 0) return undefined;
  const props = isObject(f.parameters?.properties) ? f.parameters.properties : {};
  return {
    name: f.name,
    description: typeof f.description === 'string' ? f.description : undefined,
    params: Object.entries(props).map(([name, p]) => ({
      name,
      type: isObject(p) && typeof p.type === 'string' ? p.type : undefined,
      description: isObject(p) && typeof p.description === 'string' ? p.description : undefined,
    })),
  };
}

/** The user's words of a single-turn question (system prompts left out). */
function userText(question: unknown): string | undefined {
  if (!Array.isArray(question) || question.length !== 1 || !Array.isArray(question[0])) return undefined;
  const parts = (question[0] as Message[]).filter((m) => m.role === 'user' && typeof m.content === 'string').map((m) => (m.content as string).trim());
  const text = parts.join(' ').trim();
  return text.length > 0 ? text : undefined;
}

/** Names the ground truth calls; a question needing two different functions is left out (no single answer). */
function answerNames(answer: unknown): string[] {
  if (!isObject(answer) || !Array.isArray(answer.ground_truth)) return [];
  const names = new Set<string>();
  for (const call of answer.ground_truth) if (isObject(call)) for (const k of Object.keys(call)) names.add(k);
  return [...names];
}

/**
 * Joins one category's questions with its possible answers by id. Kept: single-turn questions whose
 * calls all name one function that the question was offered.
 */
export function bfclPairs(questions: readonly unknown[], answers: readonly unknown[]): BfclPair[] {
  const byId = new Map<string, unknown>();
  for (const a of answers) if (isObject(a) && typeof a.id === 'string') byId.set(a.id, a);
  const out: BfclPair[] = [];
  for (const q of questions) {
    if (!isObject(q) || typeof q.id !== 'string' || !Array.isArray(q.function)) continue;
    const query = userText(q.question);
    const names = answerNames(byId.get(q.id));
    if (query === undefined || names.length !== 1) continue;
    const tools = (q.function as FunctionDef[]).map(toTool).filter((t): t is ToolInput => t !== undefined);
    const positive = tools.find((t) => t.name === names[0]);
    if (positive === undefined) continue;
    out.push({ id: q.id, query, positive, negatives: tools.filter((t) => t !== positive) });
  }
  return out;
}
