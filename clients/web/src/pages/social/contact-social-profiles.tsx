import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { graphql } from "../../__generated__/gql.ts";
import type { SocialNetwork } from "../../__generated__/graphql.ts";
import { Field } from "../../components/field.tsx";
import { showServerFieldErrors } from "../../components/forms.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { NETWORK_LABEL } from "./social-format.ts";

/**
 * A contact's social profiles. Its own query rather than part of the contact page's, so the
 * contact shows even when the social subgraph is not answering.
 */
const ContactSocialProfilesQuery = graphql(`
  query ContactSocialProfiles($id: ID!) {
    contact(id: $id) {
      id
      socialProfiles {
        id
        network
        handle
        displayName
        url
      }
    }
  }
`);

const LinkSocialProfile = graphql(`
  mutation ContactLinkSocialProfile($contactId: ID!, $network: SocialNetwork!, $handle: String!) {
    linkSocialProfile(contactId: $contactId, network: $network, handle: $handle) {
      id
      handle
    }
  }
`);

const UnlinkSocialProfile = graphql(`
  mutation ContactUnlinkSocialProfile($contactId: ID!, $profileId: ID!) {
    unlinkSocialProfile(contactId: $contactId, profileId: $profileId)
  }
`);

interface LinkValues {
  network: SocialNetwork;
  handle: string;
}

function LinkProfileForm({ contactId }: { contactId: string }) {
  const [link] = useMutation(LinkSocialProfile, {
    refetchQueries: ["ContactSocialProfiles"],
    awaitRefetchQueries: true,
  });
  const [error, setError] = useState<unknown>(null);
  const [linked, setLinked] = useState("");
  const form = useForm<LinkValues>({ defaultValues: { network: "BLUESKY", handle: "" } });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    setLinked("");
    try {
      const { data } = await link({ variables: { contactId, network: values.network, handle: values.handle.trim() } });
      form.reset({ network: values.network, handle: "" });
      if (data) setLinked(`Linked ${data.linkSocialProfile.handle}.`);
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, ["handle", "network"])) setError(caught);
    }
  });
  return (
    <form onSubmit={submit} noValidate className="social-link-form">
      <div className="crm-form-row">
        <Field label="Network" error={errors.network}>
          {(props) => (
            <select {...props} {...form.register("network")}>
              {(Object.keys(NETWORK_LABEL) as SocialNetwork[]).map((network) => (
                <option key={network} value={network}>
                  {NETWORK_LABEL[network]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Profile handle" error={errors.handle} hint="alice.bsky.social, or @alice@example.social">
          {(props) => (
            <input
              {...props}
              autoComplete="off"
              {...form.register("handle", { validate: (value) => value.trim().length > 0 || "Enter the handle" })}
            />
          )}
        </Field>
      </div>
      <ErrorNotice error={error} />
      <p className={linked ? "notice" : "visually-hidden"} role="status">
        {linked}
      </p>
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Linking…" : "Link profile"}
      </button>
    </form>
  );
}

/** On the contact page: the contact's profiles on social networks, and linking another by handle. */
export function ContactSocialProfiles({ contactId }: { contactId: string }) {
  const { data, error, refetch } = useQuery(ContactSocialProfilesQuery, { variables: { id: contactId } });
  const [unlink] = useMutation(UnlinkSocialProfile, {
    refetchQueries: ["ContactSocialProfiles"],
    awaitRefetchQueries: true,
  });
  const [unlinkError, setUnlinkError] = useState<unknown>(null);
  const heading = <h2 id="contact-social-heading">Social profiles</h2>;
  let body: React.ReactNode;
  if (error && !data) body = <ErrorNotice error={error} onRetry={() => void refetch()} />;
  else if (!data?.contact) body = <Loading label="Loading social profiles…" />;
  else {
    const profiles = data.contact.socialProfiles;
    body = (
      <>
        {profiles.length === 0 ? (
          <Empty>
            <p>No social profile linked. Link one by its handle: suggestions then rank this contact higher.</p>
          </Empty>
        ) : (
          <ul className="social-profiles">
            {profiles.map((profile) => (
              <li key={profile.id}>
                <span className="badge">{NETWORK_LABEL[profile.network]}</span>{" "}
                {profile.url ? (
                  <a href={profile.url} target="_blank" rel="noreferrer">
                    {profile.handle}
                  </a>
                ) : (
                  profile.handle
                )}
                {profile.displayName ? <span className="hint"> {profile.displayName}</span> : null}{" "}
                <button
                  type="button"
                  aria-label={`Unlink ${profile.handle}`}
                  onClick={async () => {
                    setUnlinkError(null);
                    try {
                      await unlink({ variables: { contactId, profileId: profile.id } });
                    } catch (caught) {
                      setUnlinkError(caught);
                    }
                  }}
                >
                  Unlink
                </button>
              </li>
            ))}
          </ul>
        )}
        <ErrorNotice error={unlinkError} />
        <LinkProfileForm contactId={contactId} />
      </>
    );
  }
  return (
    <section aria-labelledby="contact-social-heading" className="social-contact">
      {heading}
      {body}
    </section>
  );
}
