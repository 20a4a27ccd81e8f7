/**
 * hash-wasm's argon2id alone. The verifier imports this module on its first argon2id hash only, so the
 * other formats never load it; the named re-export lets the bundler keep argon2 and drop the rest of
 * hash-wasm.
 */
export { argon2id } from "hash-wasm";
