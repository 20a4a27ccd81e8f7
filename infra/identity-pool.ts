/**
 * SuiteIdentityPool: an Amazon Cognito identity pool for the suite's user pool, for apps that need AWS
 * credentials in the browser (Rekognition Face Liveness, say). Built on aws-cdk-lib's stable L2
 * (`aws-cdk-lib/aws-cognito-identitypool`), with the classic mistakes made impossible by default:
 *
 * - Authenticated identities only. Unauthenticated (guest) identities exist only when asked for
 *   (`unauthenticatedAccess`), and their role then holds exactly the listed actions on the listed
 *   resources: an empty list and wildcard actions (`*`, `s3:*`, `s3:Get*`) are refused at synth. Without
 *   it, the pool has no unauthenticated role at all (the L2's inert default one is removed).
 * - The authenticated role holds nothing until the consumer grants to it (`authenticatedRole`).
 * - Trust: both roles trust `cognito-identity.amazonaws.com` only for this identity pool
 *   (`cognito-identity.amazonaws.com:aud`) and for their kind of identity (`amr`), as the L2 writes them.
 * - The classic (basic) flow is off: credentials come only through GetCredentialsForIdentity, so the
 *   role is the one the identity pool chooses, never one the client names.
 * - Server-side token check on by default: the identity pool asks the user pool whether the user was
 *   signed out globally or deleted before it hands out credentials.
 * - Principal tags (attributes for access control): claims of the ID token (the suite's pre token
 *   generation trigger can add them, CLAIMS_CONFIG) become session tags for `aws:PrincipalTag/<key>`
 *   conditions. Cognito needs `sts:TagSession` in the role's trust policy for that; the L2 does not add
 *   it, so the authenticated role gets it here, with the same conditions and only for the mapped keys.
 */
import { Stack, Token } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as identitypool from "aws-cdk-lib/aws-cognito-identitypool";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { POLICY_ACKNOWLEDGMENTS, PolicyAcknowledgments } from "./policy-acknowledgments.ts";
import { InvalidSettingsError } from "./settings.ts";

/** What unauthenticated (guest) identities may do: everything listed here is open to anyone. */
export interface UnauthenticatedAccess {
  /**
   * The IAM actions guests may call, each `service:Action`. Not empty; no wildcard (`*`, `s3:*`,
   * `s3:Get*`): a guest role gets exactly these.
   */
  readonly actions: readonly string[];
  /**
   * The resources (ARNs) the actions are allowed on. Not empty. `*` is taken (some actions have no
   * resource-level permissions), but cdk-nag then reports AwsSolutions-IAM5 on the guest role's policy
   * and the construct does not acknowledge it for you.
   */
  readonly resources: readonly string[];
}

/** The identity pool CognitoTriggerSuite adds for its user pool (`identityPool`). */
export interface IdentityPoolOptions {
  /**
   * The app clients of the user pool whose ID tokens the identity pool accepts (each becomes a
   * `CognitoIdentityProviders` entry). Required and not empty: the construct owns no client.
   */
  readonly userPoolClients: readonly cognito.IUserPoolClient[];
  /**
   * Allow unauthenticated (guest) identities, with exactly these actions on these resources.
   * @default - none: unauthenticated identities are refused and there is no unauthenticated role
   */
  readonly unauthenticatedAccess?: UnauthenticatedAccess;
  /**
   * Principal tags (attributes for access control): tag key to ID token claim, e.g.
   * `{ tenant: "tenant_id" }`. The authenticated role's trust policy then allows `sts:TagSession` for
   * these keys. At most 50 tags; keys of 1 to 128 characters (letters, digits, spaces and `_.:/=+-@`),
   * not starting with `aws:`; claim names of 1 to 256 characters, 460 bytes together.
   * @default - no principal tags (attributes for access control off)
   */
  readonly principalTags?: Readonly<Record<string, string>>;
  /**
   * The identity pool checks with the user pool that the user has not been signed out globally or
   * deleted before it issues credentials (`ServerSideTokenCheck`). Turn off only if that extra call per
   * credential request matters more than revocation.
   * @default true
   */
  readonly serverSideTokenCheck?: boolean;
  /** @default - a name CloudFormation generates */
  readonly identityPoolName?: string;
}

export interface SuiteIdentityPoolProps extends IdentityPoolOptions {
  /** The user pool whose ID tokens the identity pool accepts. */
  readonly userPool: cognito.IUserPool;
  /**
   * Makes and records the acknowledgment of unauthenticated identities (policy-acknowledgments.ts).
   * @default - acknowledgments made and not listed
   */
  readonly acknowledgments?: PolicyAcknowledgments;
}

const COGNITO_IDENTITY = "cognito-identity.amazonaws.com";
const MAX_PRINCIPAL_TAGS = 50;
const MAX_TAG_KEY = 128;
const MAX_CLAIM_NAME = 256;
const MAX_CLAIM_NAMES_BYTES = 460;
/** IAM's tag key characters. */
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
/** `service:Action`, no wildcard. */
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

/** What is wrong with the options, one line each, each naming `<prefix>.<option>`; [] when nothing. */
export function identityPoolProblems(options: IdentityPoolOptions, prefix = "identityPool"): string[] {
  const problems: string[] = [];
  if ((options.userPoolClients ?? []).length === 0) {
    problems.push(
      `${prefix}.userPoolClients is empty: name the app clients whose ID tokens the identity pool accepts`,
    );
  }
  const access = options.unauthenticatedAccess;
  if (access) {
    const actions = access.actions ?? [];
    if (actions.length === 0) {
      problems.push(
        `${prefix}.unauthenticatedAccess.actions is empty: list the actions guests may call, or leave unauthenticatedAccess out`,
      );
    }
    for (const action of actions) {
      if (Token.isUnresolved(action)) continue;
      if (/[*?]/.test(action)) {
        problems.push(
          `${prefix}.unauthenticatedAccess.actions has the wildcard ${JSON.stringify(action)}: guests get exactly the actions listed, each named in full (service:Action)`,
        );
      } else if (!ACTION.test(action)) {
        problems.push(
          `${prefix}.unauthenticatedAccess.actions has ${JSON.stringify(action)}, which is not an IAM action (service:Action)`,
        );
      }
    }
    const resources = access.resources ?? [];
    if (resources.length === 0) {
      problems.push(
        `${prefix}.unauthenticatedAccess.resources is empty: list the resources (ARNs) the guests' actions are allowed on`,
      );
    }
    if (resources.some((resource) => !Token.isUnresolved(resource) && resource.trim() === "")) {
      problems.push(`${prefix}.unauthenticatedAccess.resources has an empty resource`);
    }
  }
  if (options.principalTags !== undefined)
    problems.push(...principalTagProblems(options.principalTags, prefix));
  return problems;
}

function principalTagProblems(tags: Readonly<Record<string, string>>, prefix: string): string[] {
  const problems: string[] = [];
  const entries = Object.entries(tags);
  if (entries.length === 0) {
    problems.push(
      `${prefix}.principalTags is empty: map at least one tag to a claim, or leave principalTags out`,
    );
  }
  if (entries.length > MAX_PRINCIPAL_TAGS) {
    problems.push(
      `${prefix}.principalTags has ${entries.length} tags; a session takes at most ${MAX_PRINCIPAL_TAGS}`,
    );
  }
  for (const [key, claim] of entries) {
    if (key.length > MAX_TAG_KEY || !TAG_KEY.test(key) || key.toLowerCase().startsWith("aws:")) {
      problems.push(
        `${prefix}.principalTags key ${JSON.stringify(key)} is not a tag key IAM takes (1 to ${MAX_TAG_KEY} letters, digits, spaces and _.:/=+-@, not starting with aws:)`,
      );
    }
    if (typeof claim !== "string" || claim === "" || claim.length > MAX_CLAIM_NAME) {
      problems.push(
        `${prefix}.principalTags["${key}"] must name an ID token claim (1 to ${MAX_CLAIM_NAME} characters)`,
      );
    }
  }
  const claimBytes = entries.reduce((sum, [, claim]) => sum + Buffer.byteLength(String(claim)), 0);
  if (claimBytes > MAX_CLAIM_NAMES_BYTES) {
    problems.push(
      `${prefix}.principalTags names claims of ${claimBytes} bytes together; Cognito takes at most ${MAX_CLAIM_NAMES_BYTES}`,
    );
  }
  return problems;
}

export class SuiteIdentityPool extends Construct {
  /** The L2 identity pool. */
  readonly identityPool: identitypool.IdentityPool;
  /** The identity pool id (`<region>:<guid>`) the browser passes to `fromCognitoIdentityPool`. */
  readonly identityPoolId: string;
  /**
   * The role of signed-in users. It holds no permission until you grant one
   * (`bucket.grantRead(pool.authenticatedRole)`, `role.addToPrincipalPolicy(...)`).
   */
  readonly authenticatedRole: iam.IRole;
  /** The guests' role, holding `unauthenticatedAccess`; undefined without it. Whatever it holds is public. */
  readonly unauthenticatedRole: iam.IRole | undefined;
  /** The `logins` key of the user pool: `cognito-idp.<region>.amazonaws.com/<user pool id>`. */
  readonly providerName: string;
  /** The principal tag map of the user pool provider; undefined without `principalTags`. */
  readonly principalTags: cognito.CfnIdentityPoolPrincipalTag | undefined;

  constructor(scope: Construct, id: string, props: SuiteIdentityPoolProps) {
    super(scope, id);
    const problems = identityPoolProblems(props);
    if (problems.length > 0) throw new InvalidSettingsError(this.node.path, problems);

    const access = props.unauthenticatedAccess;
    const pool = new identitypool.IdentityPool(this, "Pool", {
      identityPoolName: props.identityPoolName,
      allowUnauthenticatedIdentities: access !== undefined,
      allowClassicFlow: false,
    });
    for (const client of props.userPoolClients) {
      pool.addUserPoolAuthentication(
        new identitypool.UserPoolAuthenticationProvider({
          userPool: props.userPool,
          userPoolClient: client,
          disableServerSideTokenCheck: props.serverSideTokenCheck === false,
        }),
      );
    }
    this.identityPool = pool;
    this.identityPoolId = pool.identityPoolId;
    this.authenticatedRole = pool.authenticatedRole;
    const stack = Stack.of(this);
    // As UserPoolAuthenticationProvider names the provider.
    this.providerName = `cognito-idp.${stack.region}.${stack.urlSuffix}/${props.userPool.userPoolId}`;

    if (access) {
      this.unauthenticatedRole = pool.unauthenticatedRole;
      this.unauthenticatedRole.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: [...access.actions], resources: [...access.resources] }),
      );
      (props.acknowledgments ?? new PolicyAcknowledgments()).acknowledge(
        pool,
        POLICY_ACKNOWLEDGMENTS.unauthenticatedIdentities,
      );
    } else {
      // The L2 always makes an unauthenticated role; without guests it would be an unused role that
      // trusts unauthenticated identities. Attach the authenticated role only, and drop the other.
      pool.roleAttachment.roles = { authenticated: pool.authenticatedRole.roleArn };
      pool.node.tryRemoveChild("UnauthenticatedRole");
      this.unauthenticatedRole = undefined;
    }

    const tags = props.principalTags;
    if (tags) {
      this.principalTags = new cognito.CfnIdentityPoolPrincipalTag(this, "PrincipalTags", {
        identityPoolId: pool.identityPoolId,
        identityProviderName: this.providerName,
        principalTags: { ...tags },
        useDefaults: false,
      });
      this.allowTagSession(pool, Object.keys(tags));
    }
  }

  /**
   * Cognito passes the principal tags with AssumeRoleWithWebIdentity, which then also needs
   * `sts:TagSession` in the trust policy: for this identity pool, authenticated identities, and the
   * mapped tag keys only.
   */
  private allowTagSession(pool: identitypool.IdentityPool, tagKeys: string[]): void {
    const role = pool.authenticatedRole;
    if (!(role instanceof iam.Role) || !role.assumeRolePolicy) {
      throw new Error(
        "SuiteIdentityPool: the identity pool's authenticated role has no trust policy to extend",
      );
    }
    role.assumeRolePolicy.addStatements(
      new iam.PolicyStatement({
        actions: ["sts:TagSession"],
        principals: [new iam.FederatedPrincipal(COGNITO_IDENTITY)],
        conditions: {
          StringEquals: { [`${COGNITO_IDENTITY}:aud`]: pool.identityPoolId },
          "ForAnyValue:StringLike": { [`${COGNITO_IDENTITY}:amr`]: "authenticated" },
          "ForAllValues:StringEquals": { "aws:TagKeys": tagKeys },
        },
      }),
    );
  }
}
