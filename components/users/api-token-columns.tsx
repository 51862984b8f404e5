"use client";
import { useActionState } from "react";
import { columnHelperFor } from "@/components/data-table/features";
import { FormStatus } from "@/components/forms/form-status";
import { formatDateTime } from "@/components/format";
import { IDLE } from "@/lib/actions/form-state";
import { revokeApiTokenAction } from "@/app/(console)/users/actions";

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

const helper = columnHelperFor<ApiTokenView>();

export const apiTokenColumns = helper.columns([
  helper.accessor("name", { header: "Name", sortFn: "alphanumeric" }),
  helper.accessor("userEmail", { header: "Acts as", sortFn: "alphanumeric" }),
  helper.accessor("prefix", { header: "Starts with", enableSorting: false, cell: (info) => <span className="mono">{info.getValue()}…</span> }),
  helper.accessor("createdAt", { header: "Created", sortFn: "alphanumeric", cell: (info) => formatDateTime(info.getValue()) }),
  helper.accessor("lastUsedAt", { header: "Last used", enableSorting: false, cell: (info) => formatDateTime(info.getValue()) }),
  helper.display({
    id: "state",
    header: "State",
    cell: (info) => (info.row.original.revokedAt ? `Revoked ${formatDateTime(info.row.original.revokedAt)}` : <RevokeButton token={info.row.original} />),
  }),
]);
