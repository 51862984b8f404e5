/**
 * `npm run seed:scale -- --database URL`: a fleet at the size the console must handle, for
 * bench:console and for looking at the pages at scale. Bulk SQL (generate_series), not the
 * job writer: three million jobs one transaction at a time would take hours.
 *
 *   --database URL   a PostgreSQL on this machine (or DATABASE_URL); created and migrated if missing
 *   --devices N      devices                                                        [1000000]
 *   --chunk N        devices per transaction (with their jobs and log rows)         [20000]
 *   --reset          empty the fleet tables first (only in a database seed:scale made)
 *   --skip-verify    skip the final recount of the job counters
 *
 * What it writes, per device (deterministic: the same run writes the same rows):
 *   - a realistic name ("Warehouse scanner HAM-04217"), a 52-hex-digit UUID (a fifth in GUID
 *     form, as CE 4.21 sends), a platform and client version from a skewed mix, a phone number
 *     for three in four;
 *   - last contact: 88 % within the last hour (hourly polls), 4 % one to two hours ago, 6 %
 *     overdue (no poll for two hours up to 90 days), 2 % never; 1 % with a per-device poll
 *     interval of 4 hours;
 *   - 0–6 installation jobs (3 on average) over 40 packages: 72 % finished, 8 % waiting, 7 %
 *     installing or waiting for verification, 11 % failed or unknown, 2 % cancelled; their
 *     installation_log rows (about 3.3 a job) as the writer would have logged the way there;
 *   - the job counters and poll lists the job writer would keep.
 *
 * Resumable: each chunk commits alone, and a rerun continues after the last device written.
 * Only local servers, never the embedded PGlite, and never a database holding devices it did
 * not write (server_settings key `scale_seed` marks its own). Progress goes to stdout.
 * Devices have no credentials: this fleet is for the console, not for device benchmarks.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { deployMigrations } from "@/lib/db/migrate";
import { printHelpIfAsked } from "./lib/help";

printHelpIfAsked(import.meta.url);

const { values } = parseArgs({
  options: {
    database: { type: "string" },
    devices: { type: "string", default: "1000000" },
    chunk: { type: "string", default: "20000" },
    reset: { type: "boolean", default: false },
    "skip-verify": { type: "boolean", default: false },
  },
});
const DATABASE = values.database ?? process.env.DATABASE_URL;
if (!DATABASE) {
  console.error("seed:scale needs a database: --database postgresql://postgres@127.0.0.1:5432/deploydesk_scale (or DATABASE_URL).\nIt never seeds the embedded demo database.");
  process.exit(2);
}
const DEVICES = Number(values.devices);
const CHUNK = Number(values.chunk);
if (!Number.isInteger(DEVICES) || DEVICES < 1 || DEVICES > 20_000_000 || !Number.isInteger(CHUNK) || CHUNK < 1) {
  console.error("--devices and --chunk must be positive integers (at most 20,000,000 devices)");
  process.exit(2);
}
const target = new URL(DATABASE);
if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(target.hostname)) {
  console.error(`seed:scale only writes to a server on this machine (got ${target.hostname}).`);
  process.exit(2);
}

const log = (line: string) => console.log(line);
const fmt = (n: number) => n.toLocaleString("en-US");
const MARKER = "scale_seed";

// The software catalogue: 4 DME client builds, 36 other packages.
const DME_VERSIONS = ["1.9.7", "2.0.9", "2.1.3", "2.1.4"];
const SOFTWARE = 40;

async function createDatabaseIfMissing(): Promise<void> {
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new pg.Client({ connectionString: Object.assign(new URL(DATABASE!), { pathname: "/postgres" }).toString() });
  await admin.connect();
  try {
    if ((await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 0) {
      log(`creating database ${name}`);
      await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    }
  } finally {
    await admin.end();
  }
}

// u(x, salt): a uniform number in [0, 1) from an integer, deterministic (hashint8's avalanche).
const HELPERS = `
  CREATE OR REPLACE FUNCTION pg_temp.u(x bigint, salt int) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (hashint8(x * 1009 + salt)::bigint & 2147483647) / 2147483648.0 $$;
  CREATE OR REPLACE FUNCTION pg_temp.pick(arr text[], x double precision) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT arr[1 + floor(x * array_length(arr, 1))::int] $$;
`;

const NAMES = ["Warehouse scanner", "Delivery handheld", "POS terminal", "Forklift terminal", "Route PDA", "Inventory counter", "Field service PDA", "Shelf scanner", "Courier handheld", "Parcel terminal"];
const SITES = ["BER", "HAM", "MUC", "CGN", "FRA", "CPH", "AAR", "OSL", "STO", "GOT", "HEL", "AMS", "RTM", "WAW", "PRG", "VIE", "ZRH", "MIL", "LYS", "BCN"];
const sqlArray = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x.replaceAll("'", "''")}'`).join(", ")}]`;

// $1 first id (exclusive), $2 last id, $3 the seed's "now".
const INSERT_DEVICES = `
INSERT INTO devices (id, device_uuid, name, platform, phone_number, oma_dm_bootstrapped, client_version,
                     last_contact_at, last_poll_at, settings, created_at, updated_at)
SELECT i,
       CASE WHEN pg_temp.u(i, 1) < 0.2
            THEN upper(substr(m, 1, 8) || '-' || substr(m, 9, 4) || '-' || substr(m, 13, 4) || '-' || substr(m, 17, 4) || '-' || substr(m, 21, 12))
            ELSE upper(m || substr(md5('uuid' || i), 1, 20)) END,
       pg_temp.pick(${sqlArray(NAMES)}, pg_temp.u(i, 2)) || ' ' || pg_temp.pick(${sqlArray(SITES)}, pg_temp.u(i, 3)) || '-' || lpad(((i::bigint * 7919) % 100000)::text, 5, '0'),
       CASE WHEN never THEN NULL ELSE
         CASE WHEN p < 0.30 THEN 'Windows Mobile 6.5' WHEN p < 0.50 THEN 'Windows Mobile 6.1' WHEN p < 0.65 THEN 'Windows CE 6.0'
              WHEN p < 0.77 THEN 'PocketPC 2003' WHEN p < 0.87 THEN 'Windows CE 5.0' WHEN p < 0.97 THEN 'Windows Mobile 5.0'
              ELSE 'Shtrih-M Embedded' END END,
       CASE WHEN pg_temp.u(i, 5) < 0.75 THEN '+49' || (151 + floor(pg_temp.u(i, 6) * 30))::int || lpad(floor(pg_temp.u(i, 7) * 10000000)::int::text, 7, '0') END,
       pg_temp.u(i, 8) < 0.3,
       CASE WHEN never THEN NULL ELSE
         CASE WHEN v < 0.45 THEN '2.1.4' WHEN v < 0.65 THEN '2.1.3' WHEN v < 0.80 THEN '2.0.9' WHEN v < 0.88 THEN '2.2.0-rc1'
              WHEN v < 0.96 THEN '1.9.7' ELSE '1.8.2' END END,
       contact, contact,
       CASE WHEN pg_temp.u(i, 10) < 0.01 THEN '{"pollIntervalSeconds": 14400}'::jsonb END,
       $3::timestamptz - make_interval(days => 30 + floor(pg_temp.u(i, 11) * 700)::int), $3::timestamptz
  FROM (
    SELECT i, md5('device' || i) AS m, pg_temp.u(i, 4) AS p, pg_temp.u(i, 9) AS v, c < 0.02 AS never,
           CASE WHEN c < 0.02 THEN NULL
                WHEN c < 0.90 THEN $3::timestamptz - make_interval(secs => pg_temp.u(i, 12) * 3600)
                WHEN c < 0.94 THEN $3::timestamptz - make_interval(secs => 3600 + pg_temp.u(i, 12) * 3600)
                -- Overdue: skewed towards recent (most lost devices went quiet lately).
                ELSE $3::timestamptz - make_interval(secs => 7200 + power(pg_temp.u(i, 12), 3) * 90 * 86400) END AS contact
      FROM (SELECT i, pg_temp.u(i, 0) AS c FROM generate_series($1::int + 1, $2::int) i) g
  ) d`;

// Jobs: 0-6 per device, each on another package; status from one draw, consistent with the
// method and the software kind. ids = device * 8 + slot, so a chunk's rows are its own.
const INSERT_JOBS = `
INSERT INTO installation_jobs (id, device_id, software_id, method, status, created_at, updated_at, completed_at,
                               last_message_id, last_return_code, executed_at, cancelled_at)
SELECT id, device_id, software_id, method::install_method, status::job_status, created_at,
       updated_at, CASE WHEN finished THEN updated_at END,
       CASE WHEN via = 'DL' AND status NOT IN ('WAITING_FOR_DOWNLOAD') THEN
         CASE status WHEN 'INSTALLATION_FAILED' THEN '11032' WHEN 'UNKNOWN_STATUS' THEN '99999' WHEN 'INSTALLING_SOFTWARE' THEN '11030' ELSE '11031' END END,
       CASE WHEN via = 'DL' AND status NOT IN ('WAITING_FOR_DOWNLOAD') THEN CASE WHEN status = 'INSTALLATION_FAILED' THEN '0x80072EE7' ELSE '0' END END,
       CASE WHEN via = 'DL' AND finished THEN updated_at END,
       CASE WHEN cancelled THEN updated_at END
  FROM (
    SELECT j.*, status IN ('INSTALLED', 'DOWNLOADED', 'INSTALLED_VERIFIED', 'DOWNLOADED_VERIFIED') AS finished
      FROM (
        SELECT d.id * 8 + s AS id, d.id AS device_id, sw AS software_id, method, via, cancelled,
               created_at, created_at + make_interval(secs => 60 + pg_temp.u(d.id * 8 + s, 24) * 7200) AS updated_at,
               CASE
                 WHEN never OR cancelled OR st < 0.10 THEN CASE WHEN via = 'OMA' THEN 'WAITING_FOR_BOOTSTRAP' ELSE 'WAITING_FOR_DOWNLOAD' END
                 WHEN st < 0.14 THEN 'INSTALLING_SOFTWARE'
                 WHEN st < 0.17 THEN CASE WHEN sw <= ${DME_VERSIONS.length} THEN CASE WHEN via = 'OMA' THEN 'INSTALLED_WAITING_FOR_VERIFICATION' ELSE 'DOWNLOADED_WAITING_FOR_VERIFICATION' END ELSE 'INSTALLING_SOFTWARE' END
                 WHEN st < 0.25 THEN 'INSTALLATION_FAILED'
                 WHEN st < 0.28 THEN CASE WHEN via = 'DL' THEN 'UNKNOWN_STATUS' ELSE 'INSTALLATION_FAILED' END
                 WHEN sw <= ${DME_VERSIONS.length} THEN
                   CASE WHEN pg_temp.u(d.id * 8 + s, 23) < 0.85 THEN CASE WHEN via = 'OMA' THEN 'INSTALLED_VERIFIED' ELSE 'DOWNLOADED_VERIFIED' END
                        ELSE CASE WHEN via = 'OMA' THEN 'INSTALLED_WAITING_FOR_VERIFICATION' ELSE 'DOWNLOADED_WAITING_FOR_VERIFICATION' END END
                 ELSE CASE WHEN via = 'OMA' THEN 'INSTALLED' ELSE 'DOWNLOADED' END
               END AS status
          FROM (SELECT id, last_contact_at IS NULL AS never,
                       CASE WHEN n < 0.05 THEN 0 WHEN n < 0.15 THEN 1 WHEN n < 0.35 THEN 2 WHEN n < 0.65 THEN 3 WHEN n < 0.85 THEN 4 WHEN n < 0.95 THEN 5 ELSE 6 END AS jobs,
                       floor(pg_temp.u(id, 21) * ${SOFTWARE})::int AS first_sw
                  FROM (SELECT id, last_contact_at, pg_temp.u(id, 20) AS n FROM devices WHERE id > $1::int AND id <= $2::int) x) d
          CROSS JOIN LATERAL generate_series(0, d.jobs - 1) s
          CROSS JOIN LATERAL (
            SELECT 1 + (d.first_sw + s * 7) % ${SOFTWARE} AS sw,
                   pg_temp.u(d.id * 8 + s, 22) AS st,
                   pg_temp.u(d.id * 8 + s, 25) < 0.02 AS cancelled,
                   mt,
                   CASE WHEN mt < 0.60 THEN 'MARK_FOR_INSTALLATION' WHEN mt < 0.75 THEN 'SMS_PUSH' WHEN mt < 0.85 THEN 'WAP_PUSH' ELSE 'OMA_DM' END AS method,
                   CASE WHEN mt < 0.85 THEN 'DL' ELSE 'OMA' END AS via,
                   -- Later slots are newer jobs, 25 days apart (the newest within the last 10 days), so a
                   -- device's log ids (job id * 8 + step) follow time, as the writer's do.
                   $3::timestamptz - make_interval(secs => ((d.jobs - 1 - s) * 25 + pg_temp.u(d.id * 8 + s, 27) * 10) * 86400 + 7200) AS created_at
              FROM (SELECT pg_temp.u(d.id * 8 + s, 26) AS mt) m
          ) r
      ) j
  ) k`;

// The log rows a job's way to its status wrote: one row per step of its path. A path is keyed
// by (status, method family, cancelled); ord orders the steps.
type Step = [code: string, messageId: string | null, before: string | null, after: string];
const PATHS: [status: string, via: "DL" | "OMA", cancelled: boolean, steps: Step[]][] = [];
{
  const created = (after: string): Step => ["JOB_CREATED", null, null, after];
  const dl = (extra: Step[]): Step[] => [created("WAITING_FOR_DOWNLOAD"), ["STATUS_REPORT", "11030", "WAITING_FOR_DOWNLOAD", "INSTALLING_SOFTWARE"], ...extra];
  const instructions: Step = ["INSTRUCTIONS_SENT", null, "WAITING_FOR_DOWNLOAD", "WAITING_FOR_DOWNLOAD"];
  // Some downloads show the instructions request in the log before the first report.
  const withInstructions = (steps: Step[]): Step[] => [steps[0]!, instructions, ...steps.slice(1)];
  PATHS.push(["WAITING_FOR_DOWNLOAD", "DL", false, [created("WAITING_FOR_DOWNLOAD")]]);
  PATHS.push(["WAITING_FOR_DOWNLOAD", "DL", true, [created("WAITING_FOR_DOWNLOAD"), ["JOB_CANCELLED", null, "WAITING_FOR_DOWNLOAD", "WAITING_FOR_DOWNLOAD"]]]);
  PATHS.push(["INSTALLING_SOFTWARE", "DL", false, withInstructions(dl([]))]);
  PATHS.push(["INSTALLATION_FAILED", "DL", false, withInstructions(dl([["STATUS_REPORT", "11032", "INSTALLING_SOFTWARE", "INSTALLATION_FAILED"]]))]);
  PATHS.push(["UNKNOWN_STATUS", "DL", false, withInstructions(dl([["STATUS_REPORT", "99999", "INSTALLING_SOFTWARE", "UNKNOWN_STATUS"]]))]);
  PATHS.push(["DOWNLOADED", "DL", false, dl([["STATUS_REPORT", "11031", "INSTALLING_SOFTWARE", "DOWNLOADED"], ["STATUS_REPORT", "11035", "DOWNLOADED", "DOWNLOADED"]])]);
  const dwfv = "DOWNLOADED_WAITING_FOR_VERIFICATION";
  PATHS.push([dwfv, "DL", false, dl([["STATUS_REPORT", "11031", "INSTALLING_SOFTWARE", dwfv], ["STATUS_REPORT", "11035", dwfv, dwfv]])]);
  PATHS.push(["DOWNLOADED_VERIFIED", "DL", false, dl([["STATUS_REPORT", "11031", "INSTALLING_SOFTWARE", dwfv], ["STATUS_REPORT", "11035", dwfv, dwfv], ["CLIENT_VERSION_REPORTED", null, dwfv, "DOWNLOADED_VERIFIED"]])]);
  PATHS.push(["WAITING_FOR_BOOTSTRAP", "OMA", false, [created("WAITING_FOR_BOOTSTRAP")]]);
  PATHS.push(["WAITING_FOR_BOOTSTRAP", "OMA", true, [created("WAITING_FOR_BOOTSTRAP"), ["JOB_CANCELLED", null, "WAITING_FOR_BOOTSTRAP", "WAITING_FOR_BOOTSTRAP"]]]);
  PATHS.push(["INSTALLING_SOFTWARE", "OMA", false, [created("INSTALLING_SOFTWARE")]]);
  PATHS.push(["INSTALLATION_FAILED", "OMA", false, [created("INSTALLING_SOFTWARE"), ["OMA_DM_INSTALL_FAILED", null, "INSTALLING_SOFTWARE", "INSTALLATION_FAILED"]]]);
  PATHS.push(["INSTALLED", "OMA", false, [created("INSTALLING_SOFTWARE"), ["OMA_DM_INSTALL_SUCCEEDED", null, "INSTALLING_SOFTWARE", "INSTALLED"]]]);
  const iwfv = "INSTALLED_WAITING_FOR_VERIFICATION";
  PATHS.push([iwfv, "OMA", false, [created("INSTALLING_SOFTWARE"), ["OMA_DM_INSTALL_SUCCEEDED", null, "INSTALLING_SOFTWARE", iwfv]]]);
  PATHS.push(["INSTALLED_VERIFIED", "OMA", false, [created("INSTALLING_SOFTWARE"), ["OMA_DM_INSTALL_SUCCEEDED", null, "INSTALLING_SOFTWARE", iwfv], ["CLIENT_VERSION_REPORTED", null, iwfv, "INSTALLED_VERIFIED"]]]);
}
const lit = (v: string | null) => (v === null ? "NULL" : `'${v}'`);
const PATH_ROWS = PATHS.flatMap(([status, via, cancelled, steps]) =>
  steps.map(([code, messageId, before, after], i) => `('${status}', '${via}', ${cancelled}, ${i + 1}, ${steps.length}, '${code}', ${lit(messageId)}, ${lit(before)}::job_status, '${after}'::job_status)`),
).join(",\n    ");

const INSERT_LOG = `
INSERT INTO installation_log (id, job_id, device_id, received_at, device_timestamp, device_time, package_id, software_id, message_id,
                              code, data, parameters, status_before, status_after, dedup_key)
SELECT j.id * 8 + p.ord, j.id, j.device_id, t.at,
       CASE WHEN p.message_id IS NOT NULL THEN to_char(t.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') END,
       CASE WHEN p.message_id IS NOT NULL THEN date_trunc('second', t.at AT TIME ZONE 'UTC') END,
       CASE WHEN p.message_id IS NOT NULL THEN s.package_id END,
       j.software_id, p.message_id, p.code,
       CASE p.code WHEN 'JOB_CREATED' THEN jsonb_build_object('method', j.method)
                   WHEN 'CLIENT_VERSION_REPORTED' THEN jsonb_build_object('version', s.version, 'jobVersion', s.version)
                   ELSE '{}'::jsonb END,
       CASE WHEN p.message_id IS NOT NULL THEN jsonb_build_array(jsonb_build_object('name', 'Return code', 'value', CASE WHEN p.message_id = '11032' THEN '0x80072EE7' ELSE '0' END)) ELSE '[]'::jsonb END,
       p.status_before, p.status_after,
       CASE WHEN p.message_id IS NOT NULL THEN encode(sha256(convert_to('scale:' || j.id || ':' || p.ord, 'UTF8')), 'hex') END
  FROM installation_jobs j
  JOIN software s ON s.id = j.software_id
  JOIN (VALUES
    ${PATH_ROWS}
  ) AS p(status, via, cancelled, ord, steps, code, message_id, status_before, status_after)
    ON p.status = j.status::text AND p.via = CASE WHEN j.method = 'OMA_DM' THEN 'OMA' ELSE 'DL' END AND p.cancelled = (j.cancelled_at IS NOT NULL)
  -- Steps spread from the job's creation to its last change.
  CROSS JOIN LATERAL (SELECT j.created_at + (j.updated_at - j.created_at) * ((p.ord - 1)::double precision / greatest(p.steps - 1, 1)) AS at) t
 WHERE j.device_id > $1::int AND j.device_id <= $2::int`;

async function main(): Promise<void> {
  await createDatabaseIfMissing();
  const client = new pg.Client({ connectionString: DATABASE });
  await client.connect();
  const version = (await client.query("SELECT version() AS v")).rows[0].v as string;
  if (/PGlite/i.test(version)) throw new Error("seed:scale does not write to the embedded PGlite: a million devices need a real PostgreSQL.");
  log(`database: ${target.host}${target.pathname}`);
  await deployMigrations({ databaseUrl: DATABASE!, log: () => undefined });
  await client.query(HELPERS);

  const marker = (await client.query("SELECT value FROM server_settings WHERE key = $1", [MARKER])).rows[0]?.value as { devices: number; now: string } | undefined;
  const existing = Number((await client.query("SELECT count(*) FROM (SELECT 1 FROM devices LIMIT 1) d")).rows[0].count);
  if (existing > 0 && !marker) throw new Error("This database holds devices seed:scale did not write. Use an empty database (e.g. deploydesk_scale).");
  if (values.reset && marker) {
    log("reset: emptying the fleet tables");
    await client.query("TRUNCATE installation_log, installation_jobs, device_messages, device_inventories, collected_files, device_credentials, devices, software RESTART IDENTITY");
    await client.query("DELETE FROM server_settings WHERE key = $1", [MARKER]);
  } else if (marker && marker.devices !== DEVICES) {
    throw new Error(`This database was seeded for ${fmt(marker.devices)} devices; pass --reset to start over with ${fmt(DEVICES)}.`);
  }
  const current = values.reset ? undefined : marker;
  // One "now" for the whole fleet, kept in the marker: bench:console measures as of that time,
  // so the share of overdue devices does not grow while the database waits.
  const now = current ? new Date(current.now) : new Date();
  if (!current) {
    await client.query("INSERT INTO server_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [MARKER, JSON.stringify({ devices: DEVICES, now: now.toISOString() })]);
  }

  await client.query(
    `INSERT INTO software (id, name, version, kind, platform, package_id, file_name, file_size, updated_at)
     SELECT i,
            CASE WHEN i <= ${DME_VERSIONS.length} THEN 'DME client' ELSE (${sqlArray(["Inventory app", "Barcode scanner driver", "Route planner", "Signature capture", "VPN profile", "Label printer driver", "Time clock", "Fuel log", "Proof of delivery", "Keyboard remap", "Certificate bundle", "Kiosk shell"])})[1 + (i - ${DME_VERSIONS.length + 1}) % 12] END,
            CASE WHEN i <= ${DME_VERSIONS.length} THEN (${sqlArray(DME_VERSIONS)})[i] ELSE (1 + (i - 5) / 12)::text || '.' || ((i * 3) % 10)::text END,
            CASE WHEN i <= ${DME_VERSIONS.length} THEN 'DME_CLIENT' ELSE 'OTHER_SOFTWARE' END::software_kind,
            NULL, upper(substr(md5('pkg' || i), 1, 8) || '-' || substr(md5('pkg' || i), 9, 4) || '-4' || substr(md5('pkg' || i), 14, 3) || '-8' || substr(md5('pkg' || i), 18, 3) || '-' || substr(md5('pkg' || i), 21, 12)),
            'setup.cab', 40000 + i * 1000, $1
       FROM generate_series(1, ${SOFTWARE}) i
     ON CONFLICT (id) DO NOTHING`,
    [now],
  );

  const { STATUSES_BY_BUCKET, COUNT_COLUMNS } = await import("@/lib/installation-jobs/job-counts");
  const { JOB_COUNT_BUCKETS } = await import("@/lib/installation-jobs/status-model");
  // The counters and the poll list, as the job writer would have left them.
  const UPDATE_DEVICES = `
    UPDATE devices d
       SET ${JOB_COUNT_BUCKETS.map((b) => `${COUNT_COLUMNS[b]} = c.${b}`).join(", ")}, applicable_packages = c.packages
      FROM (SELECT j.device_id,
                   ${JOB_COUNT_BUCKETS.map((b, i) => `count(*) FILTER (WHERE j.cancelled_at IS NULL AND j.status = ANY($${i + 3}::job_status[]))::int AS ${b}`).join(", ")},
                   COALESCE(array_agg(s.package_id ORDER BY s.package_id) FILTER (WHERE j.cancelled_at IS NULL AND j.method = 'MARK_FOR_INSTALLATION'), '{}') AS packages
              FROM installation_jobs j JOIN software s ON s.id = j.software_id
             WHERE j.device_id > $1::int AND j.device_id <= $2::int
             GROUP BY j.device_id) c
     WHERE d.id = c.device_id`;

  const done = Number((await client.query("SELECT COALESCE(max(id), 0) AS m FROM devices")).rows[0].m);
  if (done > 0) log(`resuming after device ${fmt(done)}`);
  const started = Date.now();
  for (let from = done; from < DEVICES; from += CHUNK) {
    const to = Math.min(DEVICES, from + CHUNK);
    const t = Date.now();
    await client.query("BEGIN");
    try {
      await client.query(INSERT_DEVICES, [from, to, now]);
      const jobs = (await client.query(INSERT_JOBS, [from, to, now])).rowCount ?? 0;
      const rows = (await client.query(INSERT_LOG, [from, to])).rowCount ?? 0;
      await client.query(UPDATE_DEVICES, [from, to, ...JOB_COUNT_BUCKETS.map((b) => STATUSES_BY_BUCKET[b])]);
      await client.query("COMMIT");
      const rate = (to - done) / ((Date.now() - started) / 1000);
      log(`devices ${fmt(to)} / ${fmt(DEVICES)}: +${fmt(jobs)} jobs, +${fmt(rows)} log rows in ${((Date.now() - t) / 1000).toFixed(1)} s (about ${Math.ceil((DEVICES - to) / rate / 60)} min left)`);
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  }
  // Explicit ids above: the sequences continue after them, so the app's own inserts do not collide.
  for (const table of ["devices", "installation_jobs", "installation_log", "software"]) {
    await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT COALESCE(max(id), 1) FROM ${table}))`);
  }
  const counts = (await client.query(`SELECT (SELECT count(*) FROM devices) AS devices, (SELECT count(*) FROM installation_jobs) AS jobs, (SELECT count(*) FROM installation_log) AS log`)).rows[0];
  log(`fleet: ${fmt(Number(counts.devices))} devices, ${fmt(Number(counts.jobs))} jobs, ${fmt(Number(counts.log))} log rows`);
  const orphans = Number((await client.query("SELECT count(*) FROM installation_jobs j WHERE NOT EXISTS (SELECT 1 FROM installation_log l WHERE l.job_id = j.id AND l.code = 'JOB_CREATED')")).rows[0].count);
  if (orphans > 0) throw new Error(`${orphans} jobs have no creation row in the log: a status path is missing`);

  // Statistics and the visibility map: the planner needs the first, index-only scans the second.
  log("VACUUM ANALYZE…");
  await client.query("VACUUM (ANALYZE) devices, installation_jobs, installation_log, software");
  await client.end();

  if (!values["skip-verify"]) {
    log("verifying the job counters against the jobs (recountDeviceJobCounts)…");
    process.env.DATABASE_URL = DATABASE;
    const { recountDeviceJobCounts } = await import("@/lib/installation-jobs/job-counts");
    const { closeSql } = await import("@/lib/db/sql");
    const result = await recountDeviceJobCounts({ chunk: 20_000 });
    await closeSql();
    if (result.corrected > 0) throw new Error(`the recount corrected ${fmt(result.corrected)} of ${fmt(result.devices)} devices: the seed's counters are wrong`);
    log(`counters: all ${fmt(result.devices)} devices agree with their jobs`);
  }
  log(`done in ${((Date.now() - started) / 1000 / 60).toFixed(1)} min`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
