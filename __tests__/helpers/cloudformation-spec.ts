/**
 * Test helper: a CloudFormation template validator on the AWS CloudFormation resource specification
 * as the AWS CDK ships it (`@aws-cdk/aws-service-spec`). It checks what CloudFormation would refuse
 * before it creates anything: the template's sections, each resource's type, its properties (known,
 * required ones present, values of the specified type), and that every `Ref`, `Fn::GetAtt`,
 * `Fn::Sub` variable, `Fn::If` and `Condition` names something the template defines.
 */
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';

/** A property type as the specification writes it (the subset of `@aws-cdk/service-spec-types` read here). */
type SpecType =
  | { type: 'string' | 'number' | 'integer' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'array' | 'map'; element: SpecType }
  | { type: 'union'; types: SpecType[] };

interface SpecProperty {
  readonly type: SpecType;
  readonly required?: boolean;
}

interface SpecResource {
  readonly properties: Record<string, SpecProperty>;
  readonly attributes: Record<string, unknown>;
}

interface SpecTypeDefinition {
  readonly name: string;
  readonly properties: Record<string, SpecProperty>;
}

const SECTIONS = ['AWSTemplateFormatVersion', 'Description', 'Parameters', 'Conditions', 'Resources', 'Outputs'];
const RESOURCE_KEYS = [
  'Type',
  'Properties',
  'Condition',
  'DependsOn',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Metadata',
  'CreationPolicy',
  'UpdatePolicy',
];
const PARAMETER_TYPES = ['String', 'Number', 'List<Number>', 'CommaDelimitedList'];
const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];
/** The intrinsic functions that return a string. */
const STRING_FUNCTIONS = [
  'Ref',
  'Fn::Sub',
  'Fn::GetAtt',
  'Fn::Join',
  'Fn::Select',
  'Fn::ImportValue',
  'Fn::Base64',
  'Fn::FindInMap',
];
const CONDITION_FUNCTIONS = ['Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not', 'Condition'];

type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The one key of an intrinsic function object (`{ "Ref": ... }`, `{ "Fn::Sub": ... }`), if it is one. */
function intrinsic(value: Json): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::')) ? keys[0] : undefined;
}

/** The CloudFormation specification, loaded once: a validator of templates. */
export class CloudFormationSpec {
  private constructor(private readonly db: Awaited<ReturnType<typeof loadAwsServiceSpec>>) {}

  private static loading?: Promise<CloudFormationSpec>;

  /** Loads the specification (about 2 s; once per test file). */
  static load(): Promise<CloudFormationSpec> {
    CloudFormationSpec.loading ??= loadAwsServiceSpec().then((db) => new CloudFormationSpec(db));
    return CloudFormationSpec.loading;
  }

  /** A resource type's specification, if CloudFormation has the type. */
  resource(cloudFormationType: string): SpecResource | undefined {
    const [resource] = this.db.lookup('resource', 'cloudFormationType', 'equals', cloudFormationType);
    return resource as unknown as SpecResource | undefined;
  }

  private typeDefinition(id: string): SpecTypeDefinition {
    return this.db.get('typeDefinition', id) as unknown as SpecTypeDefinition;
  }

  /** What CloudFormation would refuse in `template`, one line each (empty: none). */
  problems(template: Json): string[] {
    return new TemplateCheck(this, template).run();
  }

  /** Problems of `value` at `path` against `type` (intrinsic functions allowed where they fit). */
  valueProblems(value: Json, type: SpecType, path: string): string[] {
    const fn = intrinsic(value);
    if (fn === 'Fn::If' && Array.isArray((value as Record<string, Json>)[fn])) {
      // Each branch must fit (AWS::NoValue leaves the property out).
      const [, whenTrue, whenFalse] = (value as Record<string, Json[]>)[fn];
      return [whenTrue, whenFalse]
        .filter((branch) => !(isObject(branch) && branch.Ref === 'AWS::NoValue'))
        .flatMap((branch, i) => this.valueProblems(branch, type, `${path}.Fn::If[${i + 1}]`));
    }
    if (fn !== undefined && type.type !== 'json') {
      if (this.accepts(type, 'string') && STRING_FUNCTIONS.includes(fn)) return [];
      return [`${path}: ${fn} where the specification expects ${describe(type)}`];
    }
    switch (type.type) {
      case 'string':
      case 'date-time':
        return typeof value === 'string' ? [] : [`${path}: expected a string, got ${JSON.stringify(value)}`];
      case 'integer':
        return Number.isInteger(value) ? [] : [`${path}: expected an integer, got ${JSON.stringify(value)}`];
      case 'number':
        return typeof value === 'number' ? [] : [`${path}: expected a number, got ${JSON.stringify(value)}`];
      case 'boolean':
        return typeof value === 'boolean' || value === 'true' || value === 'false'
          ? []
          : [`${path}: expected a boolean, got ${JSON.stringify(value)}`];
      case 'null':
        return value === null ? [] : [`${path}: expected null`];
      case 'json':
        return isObject(value) ? [] : [`${path}: expected a JSON object, got ${JSON.stringify(value)}`];
      case 'tag':
        return this.objectProblems(
          value,
          { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } },
          path,
        );
      case 'array':
        return Array.isArray(value)
          ? value.flatMap((item, i) => this.valueProblems(item, type.element, `${path}[${i}]`))
          : [`${path}: expected a list, got ${JSON.stringify(value)}`];
      case 'map':
        return isObject(value)
          ? Object.entries(value).flatMap(([k, v]) => this.valueProblems(v, type.element, `${path}.${k}`))
          : [`${path}: expected a map, got ${JSON.stringify(value)}`];
      case 'ref': {
        const definition = this.typeDefinition(type.reference.$ref);
        return this.objectProblems(value, definition.properties, path);
      }
      case 'union': {
        const each = type.types.map((t) => this.valueProblems(value, t, path));
        return each.some((problems) => problems.length === 0)
          ? []
          : [`${path}: matches none of ${type.types.map(describe).join(', ')} (${each.map((p) => p[0]).join('; ')})`];
      }
    }
  }

  /** Problems of an object of `properties`: unknown ones, missing required ones, and each value. */
  objectProblems(value: Json, properties: Record<string, SpecProperty>, path: string): string[] {
    if (!isObject(value)) return [`${path}: expected an object, got ${JSON.stringify(value)}`];
    const problems: string[] = [];
    for (const [name, property] of Object.entries(properties)) {
      if (property.required && !(name in value)) problems.push(`${path}: the required property ${name} is missing`);
    }
    for (const [name, item] of Object.entries(value)) {
      const property = properties[name];
      if (!property) {
        problems.push(`${path}: unknown property ${name}`);
        continue;
      }
      problems.push(...this.valueProblems(item, property.type, `${path}.${name}`));
    }
    return problems;
  }

  private accepts(type: SpecType, primitive: 'string'): boolean {
    return type.type === primitive || (type.type === 'union' && type.types.some((t) => this.accepts(t, primitive)));
  }
}

function describe(type: SpecType): string {
  if (type.type === 'array' || type.type === 'map') return `${type.type} of ${describe(type.element)}`;
  if (type.type === 'union') return type.types.map(describe).join(' | ');
  return type.type;
}

/** One template's check: its sections, then every reference anywhere in it. */
class TemplateCheck {
  private readonly problems: string[] = [];
  private readonly parameters: Record<string, Json>;
  private readonly conditions: Record<string, Json>;
  private readonly resources: Record<string, Json>;

  constructor(
    private readonly spec: CloudFormationSpec,
    private readonly template: Json,
  ) {
    const t = isObject(template) ? template : {};
    this.parameters = isObject(t.Parameters) ? t.Parameters : {};
    this.conditions = isObject(t.Conditions) ? t.Conditions : {};
    this.resources = isObject(t.Resources) ? t.Resources : {};
  }

  run(): string[] {
    if (!isObject(this.template)) return ['the template is not an object'];
    const t = this.template;
    for (const key of Object.keys(t)) if (!SECTIONS.includes(key)) this.problems.push(`unknown top-level key ${key}`);
    if ('AWSTemplateFormatVersion' in t && t.AWSTemplateFormatVersion !== '2010-09-09') {
      this.problems.push('AWSTemplateFormatVersion is "2010-09-09"');
    }
    if ('Description' in t && typeof t.Description !== 'string') this.problems.push('Description is a string');
    if (typeof t.Description === 'string' && t.Description.length > 1024) {
      this.problems.push(`Description is ${t.Description.length} characters, over 1,024`);
    }
    this.checkParameters();
    for (const [name, definition] of Object.entries(this.conditions)) {
      this.checkCondition(definition, `Conditions.${name}`);
    }
    if (!isObject(t.Resources) || Object.keys(t.Resources).length === 0) {
      this.problems.push('Resources is missing or empty');
    }
    for (const [id, resource] of Object.entries(this.resources)) this.checkResource(id, resource);
    if ('Outputs' in t) {
      for (const [name, output] of Object.entries(isObject(t.Outputs) ? t.Outputs : {})) {
        if (!isObject(output) || !('Value' in output)) this.problems.push(`Outputs.${name}: no Value`);
        else if (output.Condition !== undefined) this.conditionName(output.Condition, `Outputs.${name}.Condition`);
      }
    }
    this.references(t.Conditions, 'Conditions');
    this.references(t.Resources, 'Resources');
    this.references(t.Outputs, 'Outputs');
    return this.problems;
  }

  private checkParameters(): void {
    for (const [name, parameter] of Object.entries(this.parameters)) {
      const at = `Parameters.${name}`;
      if (!isObject(parameter)) {
        this.problems.push(`${at}: not an object`);
        continue;
      }
      if (
        typeof parameter.Type !== 'string' ||
        !(PARAMETER_TYPES.includes(parameter.Type) || parameter.Type.startsWith('AWS::'))
      ) {
        this.problems.push(`${at}: Type ${JSON.stringify(parameter.Type)} is not a parameter type`);
      }
      if (parameter.AllowedValues !== undefined) {
        if (!Array.isArray(parameter.AllowedValues)) this.problems.push(`${at}: AllowedValues is a list`);
        else if ('Default' in parameter && !parameter.AllowedValues.includes(parameter.Default)) {
          this.problems.push(`${at}: Default ${JSON.stringify(parameter.Default)} is not among its AllowedValues`);
        }
      }
    }
  }

  private checkCondition(definition: Json, at: string): void {
    const fn = isObject(definition) ? Object.keys(definition) : [];
    if (fn.length !== 1 || !CONDITION_FUNCTIONS.includes(fn[0])) {
      this.problems.push(`${at}: a condition is one of ${CONDITION_FUNCTIONS.join(', ')}`);
    }
  }

  private conditionName(name: Json, at: string): void {
    if (typeof name !== 'string' || !(name in this.conditions)) {
      this.problems.push(`${at}: the condition ${JSON.stringify(name)} is not defined in Conditions`);
    }
  }

  private checkResource(id: string, resource: Json): void {
    const at = `Resources.${id}`;
    if (!/^[A-Za-z0-9]+$/.test(id)) this.problems.push(`${at}: a logical ID is letters and digits only`);
    if (!isObject(resource)) {
      this.problems.push(`${at}: not an object`);
      return;
    }
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.includes(key)) this.problems.push(`${at}: unknown resource attribute ${key}`);
    }
    if (resource.Condition !== undefined) this.conditionName(resource.Condition, `${at}.Condition`);
    const spec = typeof resource.Type === 'string' ? this.spec.resource(resource.Type) : undefined;
    if (!spec) {
      this.problems.push(`${at}: unknown resource type ${JSON.stringify(resource.Type)}`);
      return;
    }
    this.problems.push(...this.spec.objectProblems(resource.Properties ?? {}, spec.properties, `${at}.Properties`));
  }

  /** Every Ref, Fn::GetAtt, Fn::Sub variable, Fn::If and Condition under `value` names something defined. */
  private references(value: Json, at: string): void {
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.references(item, `${at}[${i}]`));
      return;
    }
    if (typeof value === 'string') {
      if (value.includes('${AWS::')) this.problems.push(`${at}: ${value} names a pseudo parameter outside Fn::Sub`);
      return;
    }
    if (!isObject(value)) return;
    const fn = intrinsic(value);
    const argument = fn ? value[fn] : undefined;
    if (fn === 'Ref') {
      this.name(argument, `${at}.Ref`);
      return;
    }
    if (fn === 'Fn::GetAtt') {
      const [resource, attribute] = typeof argument === 'string' ? argument.split('.') : (argument as Json[]);
      this.attribute(resource, attribute, `${at}.Fn::GetAtt`);
      return;
    }
    if (fn === 'Fn::Sub') {
      const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
      if (typeof text !== 'string') {
        this.problems.push(`${at}.Fn::Sub: not a string`);
        return;
      }
      const own = isObject(variables) ? variables : {};
      for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        if (name in own) continue;
        if (name.includes('.') && !name.startsWith('AWS::')) {
          const [resource, attribute] = name.split('.');
          this.attribute(resource, attribute, `${at}.Fn::Sub`);
        } else {
          this.name(name, `${at}.Fn::Sub`);
        }
      }
      this.references(own, `${at}.Fn::Sub`);
      return;
    }
    if (fn === 'Fn::If') {
      const [condition, ...branches] = Array.isArray(argument) ? argument : [];
      if (!Array.isArray(argument) || argument.length !== 3) {
        this.problems.push(`${at}.Fn::If: takes [condition, then, else]`);
      }
      this.conditionName(condition, `${at}.Fn::If`);
      branches.forEach((branch, i) => this.references(branch, `${at}.Fn::If[${i + 1}]`));
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('${AWS::')) {
        this.problems.push(`${at}: the key ${key} names a pseudo parameter, which no Fn::Sub resolves`);
      }
      // A condition function's `{ "Condition": name }` (in Conditions, Fn::And, Fn::Or, Fn::Not).
      if (key === 'Condition' && Object.keys(value).length === 1 && at.startsWith('Conditions')) {
        this.conditionName(item, `${at}.Condition`);
      } else {
        this.references(item, `${at}.${key}`);
      }
    }
  }

  private name(name: Json, at: string): void {
    if (typeof name !== 'string') {
      this.problems.push(`${at}: not a name`);
      return;
    }
    if (PSEUDO_PARAMETERS.includes(name) || name in this.parameters || name in this.resources) return;
    this.problems.push(`${at}: ${name} is no parameter, pseudo parameter or resource of the template`);
  }

  private attribute(resource: Json, attribute: Json, at: string): void {
    const target = typeof resource === 'string' ? this.resources[resource] : undefined;
    if (!isObject(target)) {
      this.problems.push(`${at}: ${JSON.stringify(resource)} is no resource of the template`);
      return;
    }
    const spec = typeof target.Type === 'string' ? this.spec.resource(target.Type) : undefined;
    if (spec && !(typeof attribute === 'string' && attribute in spec.attributes)) {
      this.problems.push(`${at}: ${target.Type} has no attribute ${JSON.stringify(attribute)}`);
    }
  }
}
