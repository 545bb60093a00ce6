/**
 * Compiles TypeScript/JavaScript sources with esbuild to find syntax errors, without running them.
 * esbuild is loaded only when a plugin has such sources, so Python-only runs never pay for it.
 */
import { loadEsbuild } from "../esbuild-loader.js";

export interface CompileInput {
  text: string;
  /** The file extension: `.ts`, `.mts`, `.js`, `.mjs`. */
  loader: string;
}

export type SyntaxErrors = Array<{ message: string; line: number; column: number }>;

/**
 * Results by loader and text: `dev` checks the whole plugin on every save, and only the edited
 * sources need esbuild again. Bounded so a long session cannot grow it without end.
 */
const checked = new Map<string, SyntaxErrors>();
const MAX_CHECKED = 4096;

export async function findSyntaxErrors(inputs: CompileInput[]): Promise<SyntaxErrors[]> {
  const kinds = inputs.map(({ loader }) => (loader === ".ts" || loader === ".mts" ? "ts" : "js"));
  const keys = inputs.map(({ text }, index) => `${kinds[index]}\0${text}`);
  if (keys.every((key) => checked.has(key))) return keys.map((key) => checked.get(key) as SyntaxErrors);
  const { transform } = loadEsbuild();
  return Promise.all(
    inputs.map(async ({ text }, index) => {
      const key = keys[index] as string;
      const known = checked.get(key);
      if (known !== undefined) return known;
      let errors: SyntaxErrors = [];
      try {
        await transform(text, { loader: kinds[index] as "ts" | "js", format: "esm", logLevel: "silent" });
      } catch (error) {
        const found = (error as { errors?: Array<{ text: string; location: { line: number; column: number } | null }> }).errors ?? [];
        errors = found.map((e) => ({ message: e.text, line: e.location?.line ?? 1, column: (e.location?.column ?? 0) + 1 }));
      }
      if (checked.size >= MAX_CHECKED) checked.clear();
      checked.set(key, errors);
      return errors;
    }),
  );
}
