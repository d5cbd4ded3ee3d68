// Types of component.js for the TypeScript tests that run it in Node.
export const MAX_BYTES: number;
export function getText(url: string): Promise<string>;
export function getJson(url: string): Promise<string>;
