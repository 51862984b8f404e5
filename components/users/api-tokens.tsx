"use client";
import { useActionState } from "react";
import { EmptyRow } from "@/components/data-table/empty-row";
import { FieldError, FormStatus } from "@/components/forms/form-status";
import { formatDateTime } from "@/components/format";
import { IDLE } from "@/lib/actions/form-state";
import { createApiTokenAction, revokeApiTokenAction } from "@/app/(console)/users/actions";

export type ApiTokenView = { id: number; name: string; prefix: string; userEmail: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

function RevokeButton({ token }: { token: ApiTokenView }) {
  const [state, action, pending] = useActionState(revokeApiTokenAction, IDLE);
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="tokenId" value={token.id} />
      <button type="submit" className="danger" disabled={pending} aria-label={`Revoke token ${token.name}`}>
        Revoke
      </button>
      {state.status === "error" ? <FormStatus state={state} /> : null}
    </form>
  );
}

export function ApiTokens({ tokens, users }: { tokens: ApiTokenView[]; users: { id: string; email: string }[] }) {
  const [state, action, pending] = useActionState(createApiTokenAction, IDLE);
  return (
    <>
      <div className="table-scroll">
        <table className="data-table" data-testid="api-tokens">
          <caption>API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Acts as</th>
              <th scope="col">Starts with</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {tokens.length === 0 ? (
              <EmptyRow columns={6} text="No API tokens yet." />
            ) : (
              tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.userEmail}</td>
                  <td className="mono">{t.prefix}…</td>
                  <td>{formatDateTime(t.createdAt)}</td>
                  <td>{formatDateTime(t.lastUsedAt)}</td>
                  <td>{t.revokedAt ? `Revoked ${formatDateTime(t.revokedAt)}` : <RevokeButton token={t} />}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <form key={state.at} action={action} className="form" aria-label="Create an API token" noValidate>
        <label htmlFor="token-user">Acts as</label>
        <select id="token-user" name="userId" defaultValue={state.status === "error" ? state.values?.userId : undefined} aria-invalid={Boolean(state.fields.userId)}>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.email}
            </option>
          ))}
        </select>
        <FieldError state={state} name="userId" />
        <label htmlFor="token-name">Token name</label>
        <input id="token-name" name="name" defaultValue={state.status === "error" ? state.values?.name : undefined} placeholder="e.g. nightly rollout script" aria-invalid={Boolean(state.fields.name)} />
        <FieldError state={state} name="name" />
        <FormStatus state={state} />
        {state.values?.token ? (
          <p>
            <label htmlFor="new-token">New token</label>
            <input id="new-token" className="mono token-once" readOnly value={state.values.token} onFocus={(e) => e.currentTarget.select()} data-testid="new-api-token" />
          </p>
        ) : null}
        <button type="submit" disabled={pending}>
          Create token
        </button>
      </form>
    </>
  );
}
