/**
 * The packages a compiled module imports: the bare specifiers of its static imports, re-exports and
 * dynamic `import("...")` with a literal, reduced to package names (`@aws-sdk/client-ses`,
 * `aws-cdk-lib` for `aws-cdk-lib/aws-iam`). Built-in modules are left out.
 */
import { builtinModules } from "node:module";

const SPECIFIERS = [
  /\bimport\b\s*[^'"();]*?\bfrom\s*["']([^"']+)["']/g,
  /\bexport\b\s*[^'"();]*?\bfrom\s*["']([^"']+)["']/g,
  /\bimport\s*["']([^"']+)["']/g,
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
];

export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtinModules.includes(packageName(specifier));
}

export function importedPackages(code: string): Set<string> {
  const found = new Set<string>();
  for (const pattern of SPECIFIERS) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1] ?? "";
      if (specifier.startsWith(".") || specifier.startsWith("/") || isBuiltin(specifier)) continue;
      found.add(packageName(specifier));
    }
  }
  return found;
}
