// Ink decides once, when it is first imported, whether it runs in CI (the `is-in-ci` package reads CI and
// CONTINUOUS_INTEGRATION); in CI it writes only the last frame, at exit, so an interactive UI shows nothing. The UI
// starts only on a terminal a person (or a test driving a real terminal) uses, so those variables are hidden while
// Ink is imported and restored right after.
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

export async function importOutsideCi<T>(load: () => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const saved = CI_VARIABLES.map((k) => [k, env[k]] as const);
  for (const k of CI_VARIABLES) delete env[k];
  try {
    return await load();
  } finally {
    for (const [k, v] of saved) if (v !== undefined) env[k] = v;
  }
}
