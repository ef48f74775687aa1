/** Runs `work` with these app settings in process.env, as the Functions host gives them to a handler; restores it after. */
export async function withEnvironment<T>(settings: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, settings);
  try {
    return await work();
  } finally {
    for (const key of Object.keys(settings)) if (saved[key] === undefined) delete process.env[key];
    Object.assign(process.env, saved);
  }
}
