/**
 * Builds DynamoDB expressions with placeholders for every name and value: audit attributes such as
 * `at` are reserved words, and values typed by a reviewer never become expression syntax.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";

export class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private next = 0;

  /** `attribute` is always one of this module's callers' constants, never user input. */
  name(attribute: string): string {
    const placeholder = `#${attribute}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }

  value(text: string): string {
    const placeholder = `:v${this.next++}`;
    this.values[placeholder] = { S: text };
    return placeholder;
  }

  /** `attribute IN (...)`, or `attribute = v` for a single value. */
  oneOf(attribute: string, texts: readonly string[]): string {
    const unique = [...new Set(texts)];
    if (unique.length === 1) return `${this.name(attribute)} = ${this.value(unique[0] as string)}`;
    return `${this.name(attribute)} IN (${unique.map((t) => this.value(t)).join(", ")})`;
  }

  /** The Names/Values parameters of a request, omitted when empty (DynamoDB rejects empty maps). */
  parameters(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
  } {
    return {
      ...(Object.keys(this.names).length > 0 ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length > 0 ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

export function allOf(conditions: readonly string[]): string | undefined {
  if (conditions.length === 0) return undefined;
  return conditions.length === 1 ? conditions[0] : conditions.map((c) => `(${c})`).join(" AND ");
}
