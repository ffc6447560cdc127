import type { Migration } from './migrations.ts';

/**
 * Every table the projection writes is keyed so that an event counts once
 * however often it is inserted: a ReplacingMergeTree whose sorting key is the
 * event (or the case, task or item whose latest version wins), read with
 * FINAL. The deduplication window lets a batch inserted again with the same
 * token (topic, partition and offset range) write nothing at all.
 */
const dedup = 'SETTINGS non_replicated_deduplication_window = 1000';

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'events, case events, case and task facts, items, alerts, exchanges',
    statements: ({ table }) => [
      // Every hub event read, whatever its topic: throughput, and what was read from where.
      `CREATE TABLE IF NOT EXISTS ${table('events')} (
        eventId String,
        type LowCardinality(String),
        topic LowCardinality(String),
        partition UInt16,
        offset UInt64,
        key String,
        occurredAt DateTime64(3, 'UTC'),
        loggedAt DateTime64(3, 'UTC') COMMENT 'the record''s Kafka timestamp: when the hub wrote it',
        source String,
        correlationId String,
        bytes UInt32,
        INDEX loggedAtRange loggedAt TYPE minmax GRANULARITY 1
      ) ENGINE = ReplacingMergeTree ORDER BY (topic, eventId) ${dedup}`,
      // The case events themselves (applicant's personal data left out), for the drill-down and to fold a case again.
      `CREATE TABLE IF NOT EXISTS ${table('case_events')} (
        caseId String,
        version UInt32,
        eventId String,
        type LowCardinality(String),
        occurredAt DateTime64(3, 'UTC'),
        source String,
        data String COMMENT 'the event as JSON'
      ) ENGINE = ReplacingMergeTree ORDER BY (caseId, version) ${dedup}`,
      // One row per case and version of its facts; the highest version is the case now.
      `CREATE TABLE IF NOT EXISTS ${table('cases')} (
        caseId String,
        version UInt32 COMMENT 'events of the case folded into this row',
        itemCode String,
        itemName String,
        centreId String,
        divisionCode String,
        province LowCardinality(String),
        city LowCardinality(String),
        county String,
        town String,
        village String,
        divisionLevel LowCardinality(String) COMMENT 'level of the centre''s division: province, city, county, town, village',
        leadDepartment LowCardinality(String) COMMENT 'empty until acceptance or refusal at intake names it',
        status LowCardinality(String),
        submittedAt DateTime64(3, 'UTC'),
        day Date COMMENT 'Asia/Shanghai date of acceptance or refusal at intake, else of submission',
        acceptedOn Nullable(Date),
        refusedAtIntake UInt8,
        promisedDays Nullable(UInt16),
        legalDays Nullable(UInt16),
        promisedDueDate Nullable(Date),
        legalDueDate Nullable(Date),
        decidedOn Nullable(Date),
        approved Nullable(UInt8),
        workingDaysUsed Nullable(UInt16) COMMENT 'acceptance to decision, suspensions excluded (completed cases)',
        onTime Nullable(UInt8),
        sameDay Nullable(UInt8),
        grade Nullable(UInt8),
        suspendedSince Nullable(Date),
        lastEventAt DateTime64(3, 'UTC')
      ) ENGINE = ReplacingMergeTree(version) ORDER BY caseId ${dedup}`,
      // One row per co-approval task (协办任务) and version of its case.
      `CREATE TABLE IF NOT EXISTS ${table('coapproval_tasks')} (
        caseId String,
        department LowCardinality(String),
        stage UInt8,
        version UInt32,
        itemCode String,
        itemName String,
        leadDepartment LowCardinality(String),
        centreId String,
        divisionCode String,
        province LowCardinality(String),
        city LowCardinality(String),
        county String,
        town String,
        village String,
        divisionLevel LowCardinality(String),
        day Date COMMENT 'the case''s day',
        requestedOn Date,
        dueDays UInt16,
        dueDate Nullable(Date),
        answeredOn Nullable(Date),
        status LowCardinality(String),
        workingDays Nullable(UInt16) COMMENT 'request to answer, suspensions while open excluded'
      ) ENGINE = ReplacingMergeTree(version) ORDER BY (caseId, department, stage) ${dedup}`,
      `CREATE TABLE IF NOT EXISTS ${table('items')} (
        itemCode String,
        version UInt32,
        name String,
        leadDepartment LowCardinality(String),
        legalDays UInt16,
        promisedDays UInt16
      ) ENGINE = ReplacingMergeTree(version) ORDER BY itemCode ${dedup}`,
      `CREATE TABLE IF NOT EXISTS ${table('alerts')} (
        eventId String,
        occurredAt DateTime64(3, 'UTC'),
        day Date,
        level LowCardinality(String),
        caseId Nullable(String),
        requestId Nullable(String),
        responsibleDepartment LowCardinality(String),
        deadline Date,
        limitDays UInt16,
        workingDaysUsed Int32,
        workingDaysRemaining Int32
      ) ENGINE = ReplacingMergeTree ORDER BY eventId ${dedup}`,
      `CREATE TABLE IF NOT EXISTS ${table('exchanges')} (
        eventId String,
        occurredAt DateTime64(3, 'UTC'),
        day Date,
        kind LowCardinality(String),
        requester LowCardinality(String),
        provider LowCardinality(String),
        resourceCode LowCardinality(String),
        agreementId Nullable(String),
        requestId Nullable(String),
        requestInAt DateTime64(3, 'UTC'),
        responseOutAt DateTime64(3, 'UTC'),
        latencyMs UInt32,
        requestSize UInt32,
        responseSize UInt32,
        succeeded UInt8,
        faultCode Nullable(String)
      ) ENGINE = ReplacingMergeTree ORDER BY eventId ${dedup}`,
    ],
  },
  {
    version: 2,
    name: 'events by topic and day: each record once, for the throughput over days and months',
    statements: ({ table }) => [
      // A record is its topic, partition and offset: read again (a flush after a crash), it falls on the same
      // bit, so a bitmap of them counts it once, as the events table's key does, without reading every event.
      `CREATE TABLE IF NOT EXISTS ${table('events_by_day')} (
        topic LowCardinality(String),
        day Date COMMENT 'Asia/Shanghai date of loggedAt',
        records AggregateFunction(groupBitmap, UInt64) COMMENT 'partition << 48 | offset of each record',
        first SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
        last SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
      ) ENGINE = AggregatingMergeTree ORDER BY (topic, day)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${table('events_by_day_mv')} TO ${table('events_by_day')} AS ${eventsByDay(table('events'))}`,
      // What the events table held before this migration (a store projected by an earlier version); twice is harmless, a bitmap counts a record once.
      `INSERT INTO ${table('events_by_day')} ${eventsByDay(table('events'))}`,
    ],
  },
  {
    version: 3,
    name: 'cases, co-approval tasks, alerts and exchanges partitioned by month, each month merged into one part once it is quiet',
    statements: async (store) => {
      const partitioned = new Map(
        (await store.query<{ name: string; partition_key: string }>(`SELECT name, partition_key FROM system.tables WHERE database = {database:String}`, { database: store.database }))
          .map((t) => [t.name, t.partition_key]),
      );
      return monthlyTables.flatMap(({ name, engine, orderBy, partitionBy }) => {
        const [table, rebuilt] = [store.table(name), store.table(`${name}_monthly`)];
        // Already rebuilt (a start cut off after the exchange): only the old table, now under the new name, is left to drop.
        if (partitioned.get(name) !== '') return [`DROP TABLE IF EXISTS ${rebuilt}`];
        return [
          `DROP TABLE IF EXISTS ${rebuilt}`,
          `CREATE TABLE ${rebuilt} AS ${table} ENGINE = ${engine} PARTITION BY ${partitionBy} ORDER BY ${orderBy} ${dedup}, ${settle}`,
          `INSERT INTO ${rebuilt} SETTINGS insert_deduplicate = 0 SELECT * FROM ${table}`,
          `EXCHANGE TABLES ${table} AND ${rebuilt}`,
          `DROP TABLE ${rebuilt}`,
        ];
      });
    },
  },
];

/**
 * A month partition whose parts have all been left alone for two minutes is
 * merged into one part in the background: the months of history settle into
 * one part each, and a FINAL read skips the merge of a partition of one part
 * (the store reads with `do_not_merge_across_partitions_select_final`), so
 * only the months still being written cost a merge at query time.
 */
const settle = 'min_age_to_force_merge_seconds = 120, min_age_to_force_merge_on_partition_only = 1';

/**
 * The tables the figures read with FINAL, and the month each row falls in:
 * one that never changes for the row's key (a case's submission, a task's
 * request, an event's own day), so that every version of a key is in one
 * partition and FINAL need not merge across partitions.
 */
export const monthlyTables = [
  { name: 'cases', engine: 'ReplacingMergeTree(version)', orderBy: 'caseId', partitionBy: "toYYYYMM(submittedAt, 'Asia/Shanghai')" },
  { name: 'coapproval_tasks', engine: 'ReplacingMergeTree(version)', orderBy: '(caseId, department, stage)', partitionBy: 'toYYYYMM(requestedOn)' },
  { name: 'alerts', engine: 'ReplacingMergeTree', orderBy: 'eventId', partitionBy: 'toYYYYMM(day)' },
  { name: 'exchanges', engine: 'ReplacingMergeTree', orderBy: 'eventId', partitionBy: 'toYYYYMM(day)' },
] as const;

/** The rows of `events_by_day` that rows of the events table make. */
function eventsByDay(events: string): string {
  return `SELECT topic, toDate(loggedAt, 'Asia/Shanghai') AS day, groupBitmapState(bitShiftLeft(toUInt64(partition), 48) + offset) AS records, min(loggedAt) AS first, max(loggedAt) AS last
    FROM ${events} GROUP BY topic, day`;
}
