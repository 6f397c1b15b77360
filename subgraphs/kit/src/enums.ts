import { registerEnumType } from "type-graphql";

/**
 * A GraphQL enum whose values are their own names, from a list of strings: the object
 * type-graphql wants, registered once with a description for the type and for each value.
 */
export function stringEnum<const V extends readonly string[]>(
  values: V,
  name: string,
  description: string,
  valueDescriptions: { [K in V[number]]: string },
): { [K in V[number]]: K } {
  const enumObject = Object.fromEntries(values.map((value) => [value, value])) as { [K in V[number]]: K };
  registerEnumType(enumObject, {
    name,
    description,
    valuesConfig: Object.fromEntries(
      values.map((value) => [value, { description: valueDescriptions[value as V[number]] }]),
    ) as { [K in V[number]]: { description: string } },
  });
  return enumObject;
}
