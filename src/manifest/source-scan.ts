/**
 * Static scans of endpoint sources: which classes extend `Endpoint`. Comments and string literals
 * are blanked first (keeping offsets), so a class inside a docstring or comment does not count.
 * Nothing is ever executed.
 */

export interface ClassSite {
  name: string;
  /** Offset of the class name in the source. */
  offset: number;
}

/** Replaces comments and strings with spaces, keeping newlines and length. */
export function blankPython(text: string): string {
  return text.replace(/("""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?|#[^\n]*)/g, (m) => m.replace(/[^\n]/g, " "));
}

export function blankScript(text: string): string {
  return text.replace(/(\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*|`(?:\\[\s\S]|[^`\\])*`?|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?)/g, (m) => m.replace(/[^\n]/g, " "));
}

/** Module-level `class X(... Endpoint ...):` declarations (`dify_plugin.Endpoint` counts too). */
export function findPythonEndpointClasses(text: string): ClassSite[] {
  const code = blankPython(text);
  const sites: ClassSite[] = [];
  for (const m of code.matchAll(/^class[ \t]+([A-Za-z_]\w*)[ \t]*\(([^)]*)\)[ \t]*:/gm)) {
    const bases = (m[2] ?? "").split(",").map((b) => b.trim());
    if (bases.some((b) => /(^|\.)Endpoint$/.test(b))) sites.push({ name: m[1]!, offset: m.index + m[0].indexOf(m[1]!, 5) });
  }
  return sites;
}

/** Exported classes extending `Endpoint`: `export class X extends Endpoint`, `export default class ...`. */
export function findScriptEndpointClasses(text: string): { exported: ClassSite[]; unexported: ClassSite[] } {
  const code = blankScript(text);
  const exported: ClassSite[] = [];
  const unexported: ClassSite[] = [];
  const exportedNames = new Set<string>();
  for (const m of code.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of (m[1] ?? "").split(",")) exportedNames.add(part.trim().split(/\s+as\s+/)[0]!.trim());
  }
  for (const m of code.matchAll(/export\s+default\s+([A-Za-z_$][\w$]*)\s*;?\s*$/gm)) exportedNames.add(m[1]!);
  for (const m of code.matchAll(/(export\s+(?:default\s+)?)?(?:abstract\s+)?class\s*([A-Za-z_$][\w$]*)?\s+extends\s+([\w$.]+)/g)) {
    if (!/(^|\.)Endpoint$/.test(m[3] ?? "")) continue;
    const name = m[2] ?? "default";
    const offset = m.index + m[0].indexOf("class");
    if (m[1] || exportedNames.has(name)) exported.push({ name, offset });
    else unexported.push({ name, offset });
  }
  return { exported, unexported };
}
