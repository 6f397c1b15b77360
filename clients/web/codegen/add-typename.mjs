// Apollo Client adds __typename to every selection before it sends an operation; the same
// transform at generation time keeps the persisted-documents manifest's hashes equal to what
// the app really sends.
import { addTypenameSelectionDocumentTransform } from "@graphql-codegen/client-preset";

export const transform = addTypenameSelectionDocumentTransform.transform;
