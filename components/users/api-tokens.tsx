"use client";
import { useActionState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { FieldError, FormStatus, TextField } from "@/components/forms/form-status";
import { useSchemaCheck } from "@/components/forms/use-schema-check";
import { formInput, IDLE } from "@/lib/actions/form-state";
import { newApiTokenSchema } from "@/lib/users/user-schemas";
import { createApiTokenAction } from "@/app/(console)/users/actions";
import { apiTokenColumns, type ApiTokenView } from "./api-token-columns";

export function ApiTokens({ tokens, users }: { tokens: ApiTokenView[]; users: { id: string; email: string }[] }) {
  const [server, action, pending] = useActionState(createApiTokenAction, IDLE);
  const { state, onSubmit } = useSchemaCheck(newApiTokenSchema, server, formInput);
  return (
    <>
      <DataTable caption="API tokens" captionHidden testId="api-tokens" columns={apiTokenColumns} data={tokens} getRowId={(t) => String(t.id)} emptyText="No API tokens yet." />
      <form key={server.at} action={action} onSubmit={onSubmit} className="form" aria-label="Create an API token" noValidate>
        <label htmlFor="token-user">Acts as</label>
        <select id="token-user" name="userId" defaultValue={state.status === "error" ? state.values?.userId : undefined} aria-invalid={Boolean(state.fields.userId)}>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.email}
            </option>
          ))}
        </select>
        <FieldError state={state} name="userId" />
        <TextField id="token-name" name="name" label="Token name" state={state} defaultValue={state.status === "error" ? state.values?.name : undefined} placeholder="e.g. nightly rollout script" />
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
