/// The tables of a store on a PostgreSQL server, in a schema of their own (the DocC article
/// "StoreOnAServer" describes them for people who query them).
///
/// The `events` table is the journal and the audit log: append-only, numbered without gaps, each
/// row the same event JSON a file store's journal holds: `line`, as OrderDesk wrote it (what
/// clients read back: JSONB's text output costs the server about 12 µs per event), and `body`,
/// the same as JSONB for queries, with `seq`, `at`, `agent` and `type`, all derived from `line`
/// by a trigger so that they cannot disagree with it. `orders`, `inventory`, `feedback`,
/// `outbox` and `settings` hold the state those events lead to, written in the same transaction,
/// so other tools can read it with plain SQL. `head` holds the last sequence number; a change
/// locks its one row, which makes changes one at a time, each decided against the current state.
enum ServerSchema {
    /// The version of these tables (`meta.tables`): 2 added `events.line`. A store whose tables
    /// are older is upgraded when its owner opens it (``upgrade(_:from:)``).
    static let version = 2

    /// The statements that create a store's tables and functions in `schema` (which must not hold one yet).
    ///
    /// The rows of `events` and `orders` stay whole in their table page up to 8 kB
    /// (`toast_tuple_target`): PostgreSQL otherwise compresses a row over 2 kB, as a cancelled
    /// order's document and an event with its line soon are, which took the server about half
    /// of its time writing a change. `orders` leaves a tenth of each page free (`fillfactor`),
    /// so that an order's new version can go beside the old one without touching its indexes.
    static func create(_ schema: String) -> String {
        """
        CREATE SCHEMA IF NOT EXISTS \(schema);
        CREATE TABLE \(schema).meta (
            key text PRIMARY KEY,
            value text NOT NULL
        );
        CREATE TABLE \(schema).head (
            one boolean PRIMARY KEY DEFAULT true CHECK (one),
            seq bigint NOT NULL
        );
        CREATE TABLE \(schema).events (
            seq bigint PRIMARY KEY,
            at timestamptz NOT NULL,
            agent text NOT NULL,
            type text NOT NULL,
            change_id uuid,
            body jsonb NOT NULL,
            line text NOT NULL
        ) WITH (toast_tuple_target = 8160);
        CREATE INDEX events_change_id ON \(schema).events (change_id);
        \(batchIndex(schema))
        CREATE TABLE \(schema).orders (
            name text PRIMARY KEY,
            id bigint NOT NULL,
            pos bigint NOT NULL,
            seq bigint NOT NULL,
            doc jsonb NOT NULL
        ) WITH (toast_tuple_target = 8160, fillfactor = 90);
        CREATE INDEX orders_pos ON \(schema).orders (pos);
        CREATE TABLE \(schema).inventory (
            sku text PRIMARY KEY,
            available integer NOT NULL
        );
        CREATE TABLE \(schema).feedback (
            pos bigint PRIMARY KEY,
            doc jsonb NOT NULL
        );
        CREATE TABLE \(schema).outbox (
            pos bigint PRIMARY KEY,
            doc jsonb NOT NULL
        );
        CREATE TABLE \(schema).settings (
            one boolean PRIMARY KEY DEFAULT true CHECK (one),
            doc jsonb NOT NULL
        );
        CREATE TABLE \(schema).agents (
            role name PRIMARY KEY,
            agent text NOT NULL CHECK (agent <> '')
        );
        CREATE FUNCTION \(schema).agent_name() RETURNS text LANGUAGE sql STABLE AS $$
            SELECT coalesce((SELECT agent FROM \(schema).agents WHERE role = current_user), current_user::text)
        $$;
        \(deriveEvent(schema))
        CREATE FUNCTION \(schema).check_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                RAISE EXCEPTION 'the events of an OrderDesk store are append-only (% refused)', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF NEW.agent IS DISTINCT FROM \(schema).agent_name() THEN
                RAISE EXCEPTION 'event % names agent %, but the role that logged in is recorded as %',
                    NEW.seq, NEW.agent, \(schema).agent_name() USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END
        $$;
        """
    }

    /// The function and trigger that derive an event row's columns from its `line` (named to
    /// run before `events_checked`, which checks the agent they give).
    static func deriveEvent(_ schema: String) -> String {
        """
        CREATE FUNCTION \(schema).derive_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.line IS NULL THEN
                RAISE EXCEPTION 'this store''s events are written as lines (tables version 2), which this OrderDesk is too old to do; update it'
                    USING ERRCODE = 'feature_not_supported';
            END IF;
            NEW.body := NEW.line::jsonb;
            NEW.seq := (NEW.body->>'seq')::bigint;
            NEW.at := (NEW.body->>'at')::timestamptz;
            NEW.agent := NEW.body->>'agent';
            NEW.type := NEW.body->>'type';
            RETURN NEW;
        END
        $$;
        CREATE TRIGGER events_0_derived BEFORE INSERT ON \(schema).events
            FOR EACH ROW EXECUTE FUNCTION \(schema).derive_event();
        """
    }

    /// The index of the events made by script lines, by agent: what a script run again looks up.
    static func batchIndex(_ schema: String) -> String {
        "CREATE INDEX events_batch ON \(schema).events (agent) WHERE (body->'batch'->>'hash') IS NOT NULL;"
    }

    /// What brings the tables of an older version up to this one, in one transaction run by
    /// their owner. 1 → 2: `events.line`, filled from `body` for the events already there
    /// (the check trigger, which refuses any UPDATE, held off for it), and its trigger.
    static func upgrade(_ schema: String, from version: Int) -> String? {
        guard version < 2 else { return nil }
        return """
            ALTER TABLE \(schema).events ADD COLUMN line text;
            ALTER TABLE \(schema).events DISABLE TRIGGER events_checked;
            UPDATE \(schema).events SET line = body::text;
            ALTER TABLE \(schema).events ENABLE TRIGGER events_checked;
            ALTER TABLE \(schema).events ALTER COLUMN line SET NOT NULL;
            ALTER TABLE \(schema).events SET (toast_tuple_target = 8160);
            ALTER TABLE \(schema).orders SET (toast_tuple_target = 8160, fillfactor = 90);
            \(batchIndex(schema))
            \(deriveEvent(schema))
            INSERT INTO \(schema).meta (key, value) VALUES ('tables', '2');
            """
    }

    /// The triggers that keep the events append-only and their agent true, made after a copy's
    /// events (recorded by other agents) are in.
    static func triggers(_ schema: String) -> String {
        """
        CREATE TRIGGER events_checked BEFORE INSERT OR UPDATE OR DELETE ON \(schema).events
            FOR EACH ROW EXECUTE FUNCTION \(schema).check_event();
        CREATE TRIGGER events_not_truncated BEFORE TRUNCATE ON \(schema).events
            FOR EACH STATEMENT EXECUTE FUNCTION \(schema).check_event();
        """
    }

    /// What an agent role may do: read everything, record changes (events stay append-only).
    static func agentGrants(_ schema: String, to role: String) -> [String] {
        [
            "GRANT USAGE ON SCHEMA \(schema) TO \(role)",
            "GRANT SELECT ON ALL TABLES IN SCHEMA \(schema) TO \(role)",
            "GRANT INSERT ON \(schema).events TO \(role)",
            "GRANT INSERT, UPDATE ON \(schema).orders, \(schema).feedback, \(schema).outbox TO \(role)",
            "GRANT INSERT, UPDATE, DELETE ON \(schema).inventory TO \(role)",
            "GRANT UPDATE ON \(schema).head, \(schema).settings TO \(role)",
        ]
    }

    /// What a read-only role may do: read everything.
    static func readerGrants(_ schema: String, to role: String) -> [String] {
        ["GRANT USAGE ON SCHEMA \(schema) TO \(role)", "GRANT SELECT ON ALL TABLES IN SCHEMA \(schema) TO \(role)"]
    }

    /// The group role for agents, and the one for read-only users.
    static let agentRole = "orderdesk_agent"
    static let readerRole = "orderdesk_reader"

    /// The SQL an admin runs for an agent role (reads and changes) and a read-only role.
    static func grants(_ schema: String) -> String {
        var lines = ["-- Agents: read everything, record changes (events are append-only for every role)."]
        lines.append("CREATE ROLE \(agentRole) NOLOGIN;")
        lines += agentGrants(schema, to: agentRole).map { $0 + ";" }
        lines.append("-- Readers (a team lead's reports): read only; every change is refused.")
        lines.append("CREATE ROLE \(readerRole) NOLOGIN;")
        lines += readerGrants(schema, to: readerRole).map { $0 + ";" }
        lines.append("-- Each person logs in as a role of their own, a member of one of the two:")
        lines.append("--   CREATE ROLE alice LOGIN PASSWORD '…' IN ROLE \(agentRole);")
        lines.append("-- The log records the role's name; to record another name for it:")
        lines.append("--   INSERT INTO \(schema).agents (role, agent) VALUES ('alice', 'Alice K.');")
        return lines.joined(separator: "\n")
    }

    /// The privileges a change needs, checked when the store is opened so that a read-only role
    /// hears which one it lacks: (table, privilege).
    static let changePrivileges: [(table: String, privilege: String)] = [
        ("events", "INSERT"), ("head", "UPDATE"), ("orders", "INSERT"), ("orders", "UPDATE"),
        ("inventory", "INSERT"), ("inventory", "UPDATE"), ("inventory", "DELETE"), ("feedback", "INSERT"),
        ("feedback", "UPDATE"), ("outbox", "INSERT"), ("outbox", "UPDATE"), ("settings", "UPDATE"),
    ]
}
