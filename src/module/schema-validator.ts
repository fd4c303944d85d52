/**
 * The compiled schema gates of params.ts (ecs_ami and ecs_ami_info). In the bundles this file is replaced (scripts/build.mjs) by the
 * ajv standalone code generated from the same schema at build time, so the module neither loads ajv nor
 * compiles anything at start-up. From source (jest, tools) it compiles the schema with ajv once, on first use.
 */
import type { ErrorObject } from "ajv";
import { ECS_AMI_INFO_MODULE } from "./info-options";
import { buildSchema, createAjv } from "./schema";

/** A compiled validator, as both ajv's `compile` and its standalone code produce it. */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

let compiled: SchemaValidator | undefined;
let compiledInfo: SchemaValidator | undefined;

/** The validator of the ecs_ami_info module's options schema (compiled on first use when running from source). */
export function infoSchemaValidator(): SchemaValidator {
  compiledInfo ??= createAjv({ fast: true }).compile(buildSchema(ECS_AMI_INFO_MODULE));
  return compiledInfo;
}

/** The validator of the module's options schema (compiled on first use when running from source). */
export function schemaValidator(): SchemaValidator {
  compiled ??= createAjv({ fast: true }).compile(buildSchema());
  return compiled;
}
