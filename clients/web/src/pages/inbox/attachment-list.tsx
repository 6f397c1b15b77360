import { useApolloClient } from "@apollo/client/react";
import { useState } from "react";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { ErrorNotice } from "../../components/status.tsx";
import { formatSize } from "./inbox-format.ts";

export const AttachmentList_message = graphql(`
  fragment AttachmentList_message on Message {
    id
    attachments {
      part
      filename
      contentType
      size
    }
  }
`);

/** The content comes from the mail server when asked for, never into the cache. */
const AttachmentContent = graphql(`
  query AttachmentContent($id: ID!, $part: String!) {
    message(id: $id) {
      id
      attachment(part: $part) {
        part
        content
      }
    }
  }
`);

/** base64 as bytes. */
function decodeBase64(content: string): Uint8Array<ArrayBuffer> {
  const binary = atob(content);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Saves a file the way a download link does. */
function saveFile(bytes: Uint8Array<ArrayBuffer>, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A message's attachments by name, type and size, each downloadable. */
export function AttachmentList(props: { message: FragmentType<typeof AttachmentList_message> }) {
  const message = getFragmentData(AttachmentList_message, props.message);
  const client = useApolloClient();
  const [fetching, setFetching] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (message.attachments.length === 0) return null;

  const download = async (part: string, filename: string, contentType: string) => {
    setFetching(part);
    setError(null);
    try {
      const { data } = await client.query({
        query: AttachmentContent,
        variables: { id: message.id, part },
        fetchPolicy: "no-cache",
      });
      const content = data?.message.attachment?.content;
      if (content == null) throw new Error("The attachment is no longer on the mail server.");
      saveFile(decodeBase64(content), filename, contentType);
    } catch (caught) {
      setError(caught);
    } finally {
      setFetching(null);
    }
  };

  return (
    <div className="inbox-attachments">
      <h4>Attachments</h4>
      <ul>
        {message.attachments.map((attachment) => {
          const name = attachment.filename ?? `attachment-${attachment.part}`;
          return (
            <li key={attachment.part}>
              <span className="inbox-attachment-name">{name}</span>{" "}
              <span className="hint">
                {attachment.contentType}, {formatSize(attachment.size)}
              </span>{" "}
              <button
                type="button"
                disabled={fetching !== null}
                onClick={() => void download(attachment.part, name, attachment.contentType)}
              >
                {fetching === attachment.part ? "Downloading…" : "Download"}
                <span className="visually-hidden"> {name}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <ErrorNotice error={error} />
    </div>
  );
}
