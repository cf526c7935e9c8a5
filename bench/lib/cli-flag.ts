/** The value after `name` on the command line, or `fallback`; throws naming the flag when neither is there. */
export function flag(name: string, fallback?: string): string {
  const at = process.argv.indexOf(name);
  const value = at === -1 ? fallback : process.argv[at + 1];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
}
