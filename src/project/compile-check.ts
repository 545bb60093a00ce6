/**
 * Compiles TypeScript/JavaScript sources with esbuild to find syntax errors, without running them.
 * esbuild is imported only when a plugin has such sources, so Python-only runs never pay for it.
 */

export interface CompileInput {
  text: string;
  /** The file extension: `.ts`, `.mts`, `.js`, `.mjs`. */
  loader: string;
}

export type SyntaxErrors = Array<{ message: string; line: number; column: number }>;

export async function findSyntaxErrors(inputs: CompileInput[]): Promise<SyntaxErrors[]> {
  const { transform } = await import("esbuild");
  return Promise.all(
    inputs.map(async ({ text, loader }) => {
      try {
        await transform(text, { loader: loader === ".ts" || loader === ".mts" ? "ts" : "js", format: "esm", logLevel: "silent" });
        return [];
      } catch (error) {
        const errors = (error as { errors?: Array<{ text: string; location: { line: number; column: number } | null }> }).errors ?? [];
        return errors.map((e) => ({ message: e.text, line: e.location?.line ?? 1, column: (e.location?.column ?? 0) + 1 }));
      }
    }),
  );
}
