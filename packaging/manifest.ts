/**
 * The npm package's package.json, derived from the repository's. The two differ on purpose:
 * - the package runs compiled JavaScript, so tsx (which a clone needs to run the TypeScript sources,
 *   even after `npm ci --omit=dev`) is not among its dependencies;
 * - aws-cdk-lib and constructs are peer dependencies: the consumer's CDK app brings its own, and the
 *   construct must use that copy;
 * - it has no scripts and no development dependencies.
 */

export interface RepositoryManifest {
  name: string;
  version: string;
  description: string;
  license: string;
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** Dependencies of the repository that only run its TypeScript sources. */
export const SOURCE_ONLY_DEPENDENCIES = ["tsx"];

/** The consumer's copy is used; the lowest version the construct is built and tested with. */
export const PEER_DEPENDENCIES = ["aws-cdk-lib", "constructs"];

/** The package's entry points, relative to its root (the compiled repository layout). */
export const PACKAGE_ENTRY = { module: "./infra/index.js", types: "./infra/index.d.ts", bin: "./cli/bin.js" };

export function packageManifest(repository: RepositoryManifest): Record<string, unknown> {
  const dependencies = Object.fromEntries(
    Object.entries(repository.dependencies).filter(([name]) => !SOURCE_ONLY_DEPENDENCIES.includes(name)),
  );
  const peerDependencies = Object.fromEntries(
    PEER_DEPENDENCIES.map((name) => {
      const version = repository.devDependencies[name];
      if (version === undefined) throw new Error(`package.json: ${name} is not a development dependency`);
      return [name, `^${version}`];
    }),
  );
  return {
    name: repository.name,
    version: repository.version,
    description: repository.description,
    license: repository.license,
    type: "module",
    engines: repository.engines,
    exports: {
      ".": { types: PACKAGE_ENTRY.types, default: PACKAGE_ENTRY.module },
      "./package.json": "./package.json",
    },
    main: PACKAGE_ENTRY.module,
    types: PACKAGE_ENTRY.types,
    bin: { "cognito-triggers": PACKAGE_ENTRY.bin },
    dependencies,
    peerDependencies,
  };
}
