// `npm pack` / `npm publish` at the repository root would package the whole repository. The npm
// package is built into dist/ with its own manifest (packaging/build.ts): pack that instead.
console.error(
  "cognito-trigger-suite: the repository root is not the npm package. Run `npm run package` (it builds dist/ and packs it), or `npm run build && npm pack ./dist`.",
);
process.exit(1);
