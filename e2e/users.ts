/** The e2e suite's Admin: the server under test creates it at start-up (scripts/serve.ts). */
export const E2E_ADMIN = { email: "e2e-admin@example.test", password: "e2e admin password" };
export const ADMIN_STATE = ".test-reports/e2e-admin-state.json";
