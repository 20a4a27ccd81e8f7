/** Reading a synthesized CloudFormation template: resources by type, references, IAM statements. */

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, unknown>;
}

export type Resources = Record<string, CfnResource>;

export interface Statement {
  policy: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

export function ofType(resources: Resources, type: string): [string, CfnResource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** The logical ids a value refers to (Ref, Fn::GetAtt, ${X} in Fn::Sub), pseudo parameters excluded. */
export function referencesIn(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, out);
  } else if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "Ref" && typeof inner === "string" && !inner.startsWith("AWS::")) out.add(inner);
      else if (key === "Fn::GetAtt" && Array.isArray(inner)) out.add(String(inner[0]));
      else if (key === "Fn::Sub") {
        const text = Array.isArray(inner) ? String(inner[0]) : String(inner);
        for (const match of text.matchAll(/\$\{([^}.!]+)[^}]*\}/g)) {
          if (match[1] && !match[1].startsWith("AWS::")) out.add(match[1]);
        }
        referencesIn(inner, out);
      } else referencesIn(inner, out);
    }
  }
  return out;
}

/** Every resource's direct dependencies: what it references, plus DependsOn. */
export function dependencies(resources: Resources): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const deps = referencesIn(resource.Properties);
    for (const dep of [resource.DependsOn ?? []].flat()) deps.add(dep);
    graph.set(id, new Set([...deps].filter((dep) => dep in resources)));
  }
  return graph;
}

/** A dependency cycle as a list of logical ids, or undefined when the graph is acyclic. */
export function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...path.slice(path.indexOf(id)), id];
    state.set(id, "visiting");
    path.push(id);
    for (const dep of graph.get(id) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const id of graph.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Whether `from` depends on `to`, directly or through other resources. */
export function dependsOn(graph: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    for (const dep of graph.get(id) ?? []) {
      if (dep === to) return true;
      if (!seen.has(dep)) {
        seen.add(dep);
        stack.push(dep);
      }
    }
  }
  return false;
}

/** Every IAM policy statement in the template: inline policies, managed policies and role policies. */
export function iamStatements(resources: Resources): Statement[] {
  const out: Statement[] = [];
  const add = (policy: string, document: unknown) => {
    const statements = (document as { Statement?: Omit<Statement, "policy">[] } | undefined)?.Statement ?? [];
    for (const statement of statements) out.push({ policy, ...statement });
  };
  for (const [id, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === "AWS::IAM::Policy" || resource.Type === "AWS::IAM::ManagedPolicy") {
      add(id, props.PolicyDocument);
    }
    if (resource.Type === "AWS::IAM::Role") {
      for (const policy of (props.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) {
        add(id, policy.PolicyDocument);
      }
    }
  }
  return out;
}

export function actionsOf(statement: Statement): string[] {
  return [statement.Action].flat();
}

export function resourcesOf(statement: Statement): unknown[] {
  return [statement.Resource].flat();
}
