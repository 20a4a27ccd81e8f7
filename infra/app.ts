/** The CDK app entry (cdk.json "app"): `npm run synth`, `npm run deploy`, `npm run diff`. */
import { buildApp } from "./build-app.ts";

buildApp().app.synth();
