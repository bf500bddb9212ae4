-- Roundtable's whole database schema. Applied idempotently at start-up and by
-- `roundtable migrate`; the last statement records the version it brings.

CREATE TABLE IF NOT EXISTS schema_version (
    version    integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- The digest of the schema.sql last applied in full: a start-up with the same file skips it.
CREATE TABLE IF NOT EXISTS schema_applied (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    digest     text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS users (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,
    display_name  text NOT NULL,
    handle        text NOT NULL,
    affiliation   text,
    language      text NOT NULL DEFAULT 'en',
    is_admin      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- Emails compare case-insensitively; handles (for @mentions) likewise.
CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (lower(email));
CREATE UNIQUE INDEX IF NOT EXISTS users_handle_key ON users (lower(handle));

-- Server-side sessions: browser cookies and bearer tokens alike. Only a hash
-- of the token is stored, so a database leak does not leak live sessions.
CREATE TABLE IF NOT EXISTS sessions (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user_idx ON sessions (user_id);

-- Failed logins are counted by the rate limiter (server/access/rate_limits.py),
-- atomically and shared through Redis; the table that counted them goes.
DROP TABLE IF EXISTS login_failures;

CREATE TABLE IF NOT EXISTS spaces (
    id                          bigserial PRIMARY KEY,
    slug                        text NOT NULL UNIQUE,
    title                       text NOT NULL,
    intro                       text NOT NULL DEFAULT '',
    intro_html                  text NOT NULL DEFAULT '',
    languages                   text[] NOT NULL DEFAULT ARRAY['en', 'fr', 'es'],
    status                      text NOT NULL DEFAULT 'draft'
                                CHECK (status IN ('draft', 'open', 'closed', 'archived')),
    contact                     text NOT NULL DEFAULT '',
    disclaimer                  text NOT NULL DEFAULT '',
    posting                     text NOT NULL DEFAULT 'registered'
                                CHECK (posting IN ('registered', 'invited')),
    moderation                  text NOT NULL DEFAULT 'post'
                                CHECK (moderation IN ('post', 'pre')),
    allow_participant_questions boolean NOT NULL DEFAULT false,
    opens_at                    timestamptz,
    closes_at                   timestamptz,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    -- The events counter: every change in the space takes the next value
    -- inside its own transaction, so writers serialise on this row and seq
    -- order is commit order with no gaps.
    event_seq                   bigint NOT NULL DEFAULT 0,
    -- Changes whenever the events log is rebuilt, so an old seq is never
    -- mistaken for a new one.
    epoch                       text NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text)
);

CREATE TABLE IF NOT EXISTS space_moderators (
    space_id bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (space_id, user_id)
);

-- Who may post in a space whose posting is 'invited'.
CREATE TABLE IF NOT EXISTS space_participants (
    space_id bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (space_id, user_id)
);

CREATE TABLE IF NOT EXISTS questions (
    id         bigserial PRIMARY KEY,
    space_id   bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    -- 'discussion': the moderators' numbered questions; 'participant': a
    -- question or topic posed by a participant, listed apart and unnumbered.
    kind       text NOT NULL CHECK (kind IN ('discussion', 'participant')),
    position   integer,
    title      text NOT NULL,
    body       text NOT NULL DEFAULT '',
    body_html  text NOT NULL DEFAULT '',
    status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    author_id  bigint NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz,
    CHECK ((kind = 'discussion') = (position IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS questions_space_idx ON questions (space_id, kind, position, id);

CREATE TABLE IF NOT EXISTS comments (
    id            bigserial PRIMARY KEY,
    space_id      bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    question_id   bigint NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    parent_id     bigint REFERENCES comments (id),
    -- Ids from the thread's root down to this comment: ordering by path walks
    -- a thread depth-first, replies after their parent, siblings oldest first.
    path          bigint[] NOT NULL,
    author_id     bigint NOT NULL REFERENCES users (id),
    lang          text NOT NULL,
    body          text NOT NULL,
    body_html     text NOT NULL,
    status        text NOT NULL DEFAULT 'published'
                  CHECK (status IN ('published', 'pending', 'hidden', 'rejected', 'deleted')),
    support_count integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    edited_at     timestamptz,
    deleted_at    timestamptz
);
CREATE INDEX IF NOT EXISTS comments_thread_idx ON comments (question_id, path);
CREATE INDEX IF NOT EXISTS comments_newest_idx ON comments (question_id, (path[1]) DESC, path);

-- Earlier versions of a comment, kept on every edit.
CREATE TABLE IF NOT EXISTS comment_revisions (
    id         bigserial PRIMARY KEY,
    comment_id bigint NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    body       text NOT NULL,
    lang       text NOT NULL,
    written_at timestamptz NOT NULL,
    replaced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS comment_revisions_comment_idx ON comment_revisions (comment_id, id);

CREATE TABLE IF NOT EXISTS comment_mentions (
    comment_id bigint NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (comment_id, user_id)
);

CREATE TABLE IF NOT EXISTS supports (
    comment_id bigint NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comment_id, user_id)
);

-- The events log: one row per change, numbered per space by spaces.event_seq.
-- `public` is what anyone may see (NULL: the public must not see the event at
-- all); `moderators` is what the space's moderators see.
CREATE TABLE IF NOT EXISTS events (
    space_id   bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    type       text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    public     jsonb,
    moderators jsonb NOT NULL,
    -- One person may see more of an event than the public: the author of a
    -- held comment sees it waiting, and learns the decision on it.
    recipient_id bigint REFERENCES users (id) ON DELETE SET NULL,
    personal   jsonb,
    PRIMARY KEY (space_id, seq)
);
-- Databases made before these two columns existed get them here.
ALTER TABLE events ADD COLUMN IF NOT EXISTS recipient_id bigint REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE events ADD COLUMN IF NOT EXISTS personal jsonb;
-- Finds the earlier events of a comment whose text must be withdrawn from the
-- log (hidden, rejected or deleted), so a resuming client never receives it.
CREATE INDEX IF NOT EXISTS events_comment_idx
    ON events (space_id, ((moderators -> 'comment' ->> 'id')::bigint));

-- Every moderation action, append-only: who did what to which item, and why.
CREATE TABLE IF NOT EXISTS audit_log (
    id          bigserial PRIMARY KEY,
    space_id    bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    -- NULL when Roundtable acted by itself (a comment hidden by flags, a
    -- question opened on schedule).
    actor_id    bigint REFERENCES users (id),
    action      text NOT NULL,
    target_type text NOT NULL,
    target_id   bigint,
    reason      text,
    note        text NOT NULL DEFAULT '',
    details     jsonb NOT NULL DEFAULT '{}',
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS audit_log_space_idx ON audit_log (space_id, id);

-- ---- Moderation of comments: decisions, held participants, flags, claims, spotlight ----
-- Why a hidden or rejected comment was removed, shown on its tombstone.
ALTER TABLE comments ADD COLUMN IF NOT EXISTS removed_by text CHECK (removed_by IN ('moderator', 'flags'));
ALTER TABLE comments ADD COLUMN IF NOT EXISTS removal_reason text;
ALTER TABLE comments ADD COLUMN IF NOT EXISTS removed_at timestamptz;
ALTER TABLE comments ADD COLUMN IF NOT EXISTS edited_by_moderator boolean NOT NULL DEFAULT false;
ALTER TABLE comments ADD COLUMN IF NOT EXISTS pinned_at timestamptz;
ALTER TABLE comments ADD COLUMN IF NOT EXISTS moderator_answer boolean NOT NULL DEFAULT false;
-- A version replaced by a moderator's edit: shown to moderators only.
ALTER TABLE comment_revisions ADD COLUMN IF NOT EXISTS by_moderator boolean NOT NULL DEFAULT false;
-- The moderation queues: what waits, and what was published lately.
CREATE INDEX IF NOT EXISTS comments_pending_idx ON comments (space_id, id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS comments_space_created_idx ON comments (space_id, created_at);

-- Participants whose comments are always held for review in a space, even
-- under post-moderation.
CREATE TABLE IF NOT EXISTS held_participants (
    space_id bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason   text,
    note     text NOT NULL DEFAULT '',
    held_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    held_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (space_id, user_id)
);

-- Participants' flags: one per person per comment; open until a moderator
-- resolves them (dismissed, or upheld by hiding the comment).
CREATE TABLE IF NOT EXISTS comment_flags (
    id          bigserial PRIMARY KEY,
    space_id    bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    comment_id  bigint NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason      text NOT NULL,
    text        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolution  text CHECK (resolution IN ('dismissed', 'upheld')),
    UNIQUE (comment_id, user_id)
);
CREATE INDEX IF NOT EXISTS comment_flags_open_idx
    ON comment_flags (space_id, comment_id) WHERE resolved_at IS NULL;

-- A moderator handling a queue item, so that others leave it; a claim past
-- expires_at counts as free.
CREATE TABLE IF NOT EXISTS comment_claims (
    comment_id   bigint PRIMARY KEY REFERENCES comments (id) ON DELETE CASCADE,
    space_id     bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    moderator_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    claimed_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);

-- What the screens show: position 0 is on screen now, 1, 2, … come next.
CREATE TABLE IF NOT EXISTS spotlight_items (
    id          bigserial PRIMARY KEY,
    space_id    bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    position    integer NOT NULL CHECK (position >= 0),
    comment_id  bigint REFERENCES comments (id) ON DELETE CASCADE,
    question_id bigint REFERENCES questions (id) ON DELETE CASCADE,
    added_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    added_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((comment_id IS NULL) <> (question_id IS NULL))
);
CREATE INDEX IF NOT EXISTS spotlight_items_space_idx ON spotlight_items (space_id, position);
CREATE UNIQUE INDEX IF NOT EXISTS spotlight_items_comment_key
    ON spotlight_items (space_id, comment_id) WHERE comment_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS spotlight_items_question_key
    ON spotlight_items (space_id, question_id) WHERE question_id IS NOT NULL;

-- ---- Stewarding a space (moderation, part 2): question schedules, locks, slow
-- mode, announcements, mutes and bans, suspensions, invitation links, moderator
-- notes, screen tokens, and an append-only audit log. ------------------------

-- A question may open and close at set times ('scheduled' until it opens), and
-- carries a closing remark and its own slow mode.
ALTER TABLE questions ADD COLUMN IF NOT EXISTS opens_at timestamptz;
ALTER TABLE questions ADD COLUMN IF NOT EXISTS closes_at timestamptz;
ALTER TABLE questions ADD COLUMN IF NOT EXISTS closing_remark text NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN IF NOT EXISTS closing_remark_html text NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN IF NOT EXISTS slow_mode_secs integer CHECK (slow_mode_secs > 0);
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'questions_status_scheduled_check') THEN
        ALTER TABLE questions DROP CONSTRAINT IF EXISTS questions_status_check;
        ALTER TABLE questions ADD CONSTRAINT questions_status_scheduled_check
            CHECK (status IN ('scheduled', 'open', 'closed'));
    END IF;
END $$;
-- What the scheduler looks for: questions due to open, and open ones due to close.
CREATE INDEX IF NOT EXISTS questions_due_to_open_idx ON questions (opens_at) WHERE status = 'scheduled';
CREATE INDEX IF NOT EXISTS questions_due_to_close_idx ON questions (closes_at)
    WHERE status = 'open' AND closes_at IS NOT NULL;

-- A locked space is read-only for everyone but its stewards; slow mode spaces
-- out one participant's comments.
ALTER TABLE spaces ADD COLUMN IF NOT EXISTS locked_at timestamptz;
ALTER TABLE spaces ADD COLUMN IF NOT EXISTS locked_by bigint REFERENCES users (id);
ALTER TABLE spaces ADD COLUMN IF NOT EXISTS lock_reason text;
ALTER TABLE spaces ADD COLUMN IF NOT EXISTS slow_mode_secs integer CHECK (slow_mode_secs > 0);
-- Slow mode asks when this author last commented in the space.
CREATE INDEX IF NOT EXISTS comments_author_recent_idx ON comments (author_id, space_id, created_at);

CREATE TABLE IF NOT EXISTS announcements (
    id           bigserial PRIMARY KEY,
    space_id     bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    body         text NOT NULL,
    body_html    text NOT NULL,
    lang         text,
    author_id    bigint NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    dismissed_at timestamptz,
    dismissed_by bigint REFERENCES users (id)
);
CREATE INDEX IF NOT EXISTS announcements_active_idx ON announcements (space_id, id) WHERE dismissed_at IS NULL;

-- One restriction per person and space: a mute (reads, does not post) or a
-- ban; a new one replaces the old, lifting deletes it (the audit log keeps
-- the history). `until` NULL: until lifted.
CREATE TABLE IF NOT EXISTS space_restrictions (
    space_id   bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL CHECK (kind IN ('muted', 'banned')),
    until      timestamptz,
    reason     text NOT NULL,
    note       text NOT NULL DEFAULT '',
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (space_id, user_id)
);

-- A suspended account cannot log in or post anywhere.
CREATE TABLE IF NOT EXISTS account_suspensions (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    reason     text NOT NULL,
    note       text NOT NULL DEFAULT '',
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Links that make whoever opens them an invited participant; only a hash of
-- the token is stored, as for sessions.
CREATE TABLE IF NOT EXISTS invitation_links (
    id         bigserial PRIMARY KEY,
    space_id   bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    label      text NOT NULL DEFAULT '',
    expires_at timestamptz,
    max_uses   integer CHECK (max_uses > 0),
    uses       integer NOT NULL DEFAULT 0,
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
CREATE INDEX IF NOT EXISTS invitation_links_space_idx ON invitation_links (space_id, id);

-- Notes moderators keep for each other on a comment or a person.
CREATE TABLE IF NOT EXISTS moderator_notes (
    id          bigserial PRIMARY KEY,
    space_id    bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    target_type text NOT NULL CHECK (target_type IN ('comment', 'user')),
    target_id   bigint NOT NULL,
    author_id   bigint NOT NULL REFERENCES users (id),
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS moderator_notes_target_idx ON moderator_notes (space_id, target_type, target_id, id);

-- Read-only tokens for the screens on a wall; only a hash is stored.
CREATE TABLE IF NOT EXISTS screen_tokens (
    id         bigserial PRIMARY KEY,
    space_id   bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    name       text NOT NULL,
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
CREATE INDEX IF NOT EXISTS screen_tokens_space_idx ON screen_tokens (space_id, id);

-- Site-wide actions (suspending an account) have no space.
ALTER TABLE audit_log ALTER COLUMN space_id DROP NOT NULL;
CREATE INDEX IF NOT EXISTS audit_log_site_idx ON audit_log (id) WHERE space_id IS NULL;
-- The audit log is append-only: the database itself refuses to change or
-- remove an entry (so spaces, which cascade to it, are archived, never deleted).
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_log_append_only') THEN
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_log_no_truncate') THEN
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
    END IF;
END $$;

-- Each question keeps its count of published comments, so that reading a space
-- (a snapshot, a page of questions) costs the same whatever its size. Kept by
-- triggers, in the transaction of every change to a comment's status; counted
-- once here when the column is new (this file is applied in one transaction).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_schema = current_schema() AND table_name = 'questions'
                     AND column_name = 'published_comments') THEN
        ALTER TABLE questions ADD COLUMN published_comments bigint NOT NULL DEFAULT 0;
        UPDATE questions q SET published_comments =
            (SELECT count(*) FROM comments c WHERE c.question_id = q.id AND c.status = 'published');
    END IF;
END $$;

CREATE OR REPLACE FUNCTION questions_count_published_comments() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'published' THEN
        UPDATE questions SET published_comments = published_comments - 1 WHERE id = OLD.question_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'published' THEN
        UPDATE questions SET published_comments = published_comments + 1 WHERE id = NEW.question_id;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER comments_count_published_on_insert_or_delete
    AFTER INSERT OR DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION questions_count_published_comments();
CREATE OR REPLACE TRIGGER comments_count_published_on_status_change
    AFTER UPDATE OF status, question_id ON comments
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.question_id <> NEW.question_id)
    EXECUTE FUNCTION questions_count_published_comments();

-- Evidence: a comment its author deletes while it is under review (pending,
-- flagged, hidden or rejected) keeps its text here, for moderators only; the
-- public and the author see the usual tombstone.
ALTER TABLE comments ADD COLUMN IF NOT EXISTS kept_body text;
ALTER TABLE comments ADD COLUMN IF NOT EXISTS kept_html text;

-- An author's edit of a published comment that waits for a moderator (under
-- pre-moderation, or for a held participant): the published text stays public
-- until a moderator approves the edit; rejecting it drops it.
ALTER TABLE comments ADD COLUMN IF NOT EXISTS edit_body text;
ALTER TABLE comments ADD COLUMN IF NOT EXISTS edit_html text;
ALTER TABLE comments ADD COLUMN IF NOT EXISTS edit_lang text;
ALTER TABLE comments ADD COLUMN IF NOT EXISTS edit_submitted_at timestamptz;
CREATE INDEX IF NOT EXISTS comments_pending_edit_idx ON comments (space_id, id)
    WHERE edit_submitted_at IS NOT NULL;

-- ---- Insight: statistics, search, quoting consent ----------------------------

-- Quoting consent: "named" (quote me by name) or "anonymous" (a pseudonym in
-- reports). The profile holds the default; each comment keeps the choice made
-- when it was posted. Anonymous by default: nobody is named without asking.
ALTER TABLE users ADD COLUMN IF NOT EXISTS quoting text NOT NULL DEFAULT 'anonymous'
    CHECK (quoting IN ('named', 'anonymous'));
ALTER TABLE comments ADD COLUMN IF NOT EXISTS quoting text NOT NULL DEFAULT 'anonymous'
    CHECK (quoting IN ('named', 'anonymous'));

-- Supports are not events, so the live statistics learn of them from this
-- counter, bumped in the same transaction as the support.
CREATE TABLE IF NOT EXISTS space_support_changes (
    space_id bigint PRIMARY KEY REFERENCES spaces (id) ON DELETE CASCADE,
    changes  bigint NOT NULL DEFAULT 0
);
-- Statistics group a space's comments by question, language and time; this
-- index also serves the space's distinct authors.
CREATE INDEX IF NOT EXISTS comments_space_author_idx ON comments (space_id, author_id);

-- Full-text search: English, French and Spanish stemming, accents ignored
-- (unaccent ships with PostgreSQL's contrib, and with the embedded wheel).
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
DECLARE
    config text;
BEGIN
    FOREACH config IN ARRAY ARRAY['english', 'french', 'spanish', 'simple'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'roundtable_' || config) THEN
            EXECUTE format('CREATE TEXT SEARCH CONFIGURATION roundtable_%s (COPY = pg_catalog.%s)',
                           config, config);
            EXECUTE format('ALTER TEXT SEARCH CONFIGURATION roundtable_%s
                                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, %s',
                           config, CASE config WHEN 'simple' THEN 'simple' ELSE config || '_stem' END);
        END IF;
    END LOOP;
END $$;
-- The one place that says which configuration a language is searched with:
-- languages without a stemmer here are still found, word for word, unaccented.
CREATE OR REPLACE FUNCTION roundtable_search_config(lang text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE split_part(lang, '-', 1)
        WHEN 'en' THEN 'roundtable_english'::regconfig
        WHEN 'fr' THEN 'roundtable_french'::regconfig
        WHEN 'es' THEN 'roundtable_spanish'::regconfig
        ELSE 'roundtable_simple'::regconfig
    END
$$;
ALTER TABLE comments ADD COLUMN IF NOT EXISTS search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector(roundtable_search_config(lang), body)) STORED;
CREATE INDEX IF NOT EXISTS comments_search_idx ON comments USING gin (search_vector);
-- Written through, not queued: a search otherwise reads the whole pending list
-- of new comments linearly until the next vacuum (80 ms at 20,000 comments).
ALTER INDEX comments_search_idx SET (fastupdate = off);
-- Questions carry no language: they are indexed in each of the three, so a
-- stemmed word in any of them finds the question.
ALTER TABLE questions ADD COLUMN IF NOT EXISTS search_vector tsvector
    GENERATED ALWAYS AS (
        to_tsvector('roundtable_english'::regconfig, title || ' ' || body)
        || to_tsvector('roundtable_french'::regconfig, title || ' ' || body)
        || to_tsvector('roundtable_spanish'::regconfig, title || ' ' || body)
    ) STORED;
CREATE INDEX IF NOT EXISTS questions_search_idx ON questions USING gin (search_vector);

-- ---- Participants' own questions, moderated like comments ------------------
-- `visibility` is who may read a participant's question (its `status` is whether
-- it takes comments): pending under pre-moderation or a hold, hidden or rejected
-- by a moderator (or hidden by flags), deleted by its author. A removed question
-- keeps its row as a tombstone; its title and body stay for moderators only
-- when it was under review, else the author's delete erases them.
ALTER TABLE questions ADD COLUMN IF NOT EXISTS visibility text NOT NULL DEFAULT 'published'
    CHECK (visibility IN ('published', 'pending', 'hidden', 'rejected', 'deleted'));
ALTER TABLE questions ADD COLUMN IF NOT EXISTS removed_by text CHECK (removed_by IN ('moderator', 'flags'));
ALTER TABLE questions ADD COLUMN IF NOT EXISTS removal_reason text;
ALTER TABLE questions ADD COLUMN IF NOT EXISTS removed_at timestamptz;
ALTER TABLE questions ADD COLUMN IF NOT EXISTS deleted_at timestamptz;
-- When the public first saw it: null for a question that waited and was rejected
-- or withdrawn, whose tombstone the public never sees. Questions from before
-- moderation were public from the start.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_schema = current_schema() AND table_name = 'questions'
                     AND column_name = 'published_at') THEN
        ALTER TABLE questions ADD COLUMN published_at timestamptz;
        UPDATE questions SET published_at = created_at WHERE visibility NOT IN ('pending', 'rejected');
    END IF;
END $$;
-- Slow mode asks for the author's last question in the space.
CREATE INDEX IF NOT EXISTS questions_author_idx ON questions (space_id, author_id, created_at);

-- A participant's edit of their published question that waits for a moderator (under
-- pre-moderation, or for a held participant), as comments' edit_* columns do: the
-- published title and body stay public until a moderator approves the edit.
ALTER TABLE questions ADD COLUMN IF NOT EXISTS edit_title text;
ALTER TABLE questions ADD COLUMN IF NOT EXISTS edit_body text;
ALTER TABLE questions ADD COLUMN IF NOT EXISTS edit_html text;
ALTER TABLE questions ADD COLUMN IF NOT EXISTS edit_submitted_at timestamptz;

-- Participants' flags on participants' questions, as comment_flags are on comments.
CREATE TABLE IF NOT EXISTS question_flags (
    id          bigserial PRIMARY KEY,
    space_id    bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    question_id bigint NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason      text NOT NULL,
    text        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolution  text CHECK (resolution IN ('dismissed', 'upheld')),
    UNIQUE (question_id, user_id)
);
CREATE INDEX IF NOT EXISTS question_flags_open_idx
    ON question_flags (space_id, question_id) WHERE resolved_at IS NULL;

-- ---- Synthesis: the background note ----------------------------------------

-- One note per space. `version` is the latest saved version: a save names the
-- version it was based on and is refused when another writer saved since.
CREATE TABLE IF NOT EXISTS synthesis_notes (
    space_id          bigint PRIMARY KEY REFERENCES spaces (id) ON DELETE CASCADE,
    version           integer NOT NULL CHECK (version > 0),
    published_version integer,
    published_at      timestamptz
);
-- Every saved version, kept for the history and the diff between two of them.
CREATE TABLE IF NOT EXISTS synthesis_note_versions (
    space_id  bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    version   integer NOT NULL,
    lang      text NOT NULL,
    body      text NOT NULL,
    author_id bigint REFERENCES users (id) ON DELETE SET NULL,
    saved_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (space_id, version)
);
-- Each version's citations: a span (start, end) of the comment's text as it was
-- when first cited, that text's hash and its number of earlier revisions, so an
-- edit, hiding or deletion since is seen by comparing, never by similarity.
CREATE TABLE IF NOT EXISTS synthesis_citations (
    space_id    bigint NOT NULL,
    version     integer NOT NULL,
    comment_id  bigint NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    span_start  integer NOT NULL CHECK (span_start >= 0),
    span_end    integer NOT NULL CHECK (span_end > span_start),
    quote       text NOT NULL,
    body_sha256 text NOT NULL,
    revision    integer NOT NULL,
    PRIMARY KEY (space_id, version, comment_id, span_start, span_end),
    FOREIGN KEY (space_id, version) REFERENCES synthesis_note_versions (space_id, version) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS synthesis_citations_comment_idx ON synthesis_citations (comment_id);

-- ---- Insight: languages and themes -----------------------------------------

-- Languages detected in a comment's text among its space's languages, primary
-- first ("und" when too short to tell); NULL until detected. `lang_declared`
-- says whether the author chose `lang` or it came from their profile: filters
-- and statistics use the detected language where the author declared none.
ALTER TABLE comments ADD COLUMN IF NOT EXISTS detected_langs text[];
ALTER TABLE comments ADD COLUMN IF NOT EXISTS lang_declared boolean NOT NULL DEFAULT true;

-- A comment's multilingual sentence vector (512 reals), for themes and
-- similar comments; dropped when the text changes, made again off the event loop.
CREATE TABLE IF NOT EXISTS comment_vectors (
    comment_id  bigint PRIMARY KEY REFERENCES comments (id) ON DELETE CASCADE,
    question_id bigint NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    lang        text NOT NULL,
    vector      real[] NOT NULL
);
CREATE INDEX IF NOT EXISTS comment_vectors_question_idx ON comment_vectors (question_id);
-- Comments whose text has no vector yet: what the themes keeper embeds next.
ALTER TABLE comments ADD COLUMN IF NOT EXISTS vector_pending boolean NOT NULL DEFAULT true;
CREATE INDEX IF NOT EXISTS comments_vector_pending_idx ON comments (id)
    WHERE vector_pending AND status <> 'deleted';

-- A question's current grouping: how stable it was against the one before,
-- and each language's mean vector, taken away before placing a new comment.
CREATE TABLE IF NOT EXISTS theme_groupings (
    question_id    bigint PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
    space_id       bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    generation     integer NOT NULL DEFAULT 1,
    stability      double precision,
    comments       integer NOT NULL,
    language_means jsonb NOT NULL,
    overall_mean   real[] NOT NULL,
    grouped_at     timestamptz NOT NULL DEFAULT now()
);

-- Themes of the current grouping; `name` is a moderator's, kept across regroupings
-- by the successor that shares most comments; `terms` are the label's concepts.
CREATE TABLE IF NOT EXISTS themes (
    id                bigserial PRIMARY KEY,
    question_id       bigint NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    space_id          bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    name              text,
    terms             jsonb NOT NULL DEFAULT '[]',
    representative_id bigint REFERENCES comments (id) ON DELETE SET NULL,
    centre            real[] NOT NULL
);
CREATE INDEX IF NOT EXISTS themes_question_idx ON themes (question_id);

-- Where each embedded, published comment sits: a theme, or unplaced (NULL).
CREATE TABLE IF NOT EXISTS theme_members (
    comment_id  bigint PRIMARY KEY REFERENCES comments (id) ON DELETE CASCADE,
    question_id bigint NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    theme_id    bigint REFERENCES themes (id) ON DELETE SET NULL,
    similarity  real NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS theme_members_theme_idx ON theme_members (theme_id);
CREATE INDEX IF NOT EXISTS theme_members_question_idx ON theme_members (question_id);

-- A text that changes loses what was derived from the old one: its detected
-- languages (detected again, at once by the action or soon by the sweep) and its
-- vector and theme (made again off the event loop).
CREATE INDEX IF NOT EXISTS comments_undetected_idx ON comments (id)
    WHERE detected_langs IS NULL AND status <> 'deleted';
CREATE OR REPLACE FUNCTION roundtable_comment_text_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.body IS DISTINCT FROM OLD.body THEN
        NEW.detected_langs := NULL;
        NEW.vector_pending := true;
        DELETE FROM comment_vectors WHERE comment_id = OLD.id;
        DELETE FROM theme_members WHERE comment_id = OLD.id;
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER comments_text_changed BEFORE UPDATE OF body ON comments
    FOR EACH ROW EXECUTE FUNCTION roundtable_comment_text_changed();

-- A comment that stops being published (hidden, rejected, deleted) leaves its theme
-- at once, and its theme's label keeps only the concepts (a phrase or any of its
-- variants) that a published member still says: the screens' cloud must not carry the
-- withdrawn words until the next regrouping. One that becomes published (approved,
-- restored) is embedded and placed again by the themes keeper.
CREATE OR REPLACE FUNCTION roundtable_comment_status_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    left_theme bigint;
BEGIN
    IF OLD.status = 'published' AND NEW.status <> 'published' THEN
        DELETE FROM theme_members WHERE comment_id = OLD.id RETURNING theme_id INTO left_theme;
        IF left_theme IS NOT NULL THEN
            UPDATE themes t SET terms = coalesce((
                SELECT jsonb_agg(e.term ORDER BY e.position)
                FROM jsonb_array_elements(t.terms) WITH ORDINALITY AS e(term, position)
                WHERE EXISTS (
                    SELECT 1 FROM theme_members m JOIN comments c ON c.id = m.comment_id
                    WHERE m.theme_id = t.id AND c.status = 'published' AND c.id <> OLD.id
                      AND EXISTS (
                          SELECT 1 FROM jsonb_array_elements_text(
                              jsonb_build_array(e.term -> 'phrase') || coalesce(e.term -> 'variants', '[]')
                          ) AS said(phrase)
                          WHERE strpos(lower(c.body), lower(said.phrase)) > 0))
            ), '[]'::jsonb)
            WHERE t.id = left_theme;
        END IF;
    ELSIF OLD.status <> 'published' AND NEW.status = 'published'
          AND NOT EXISTS (SELECT 1 FROM theme_members WHERE comment_id = OLD.id) THEN
        NEW.vector_pending := true;
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER comments_status_changed BEFORE UPDATE OF status ON comments
    FOR EACH ROW EXECUTE FUNCTION roundtable_comment_status_changed();

-- Terms a space's moderators keep off screens' theme clouds, lower-case.
CREATE TABLE IF NOT EXISTS theme_excluded_terms (
    space_id bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    term     text NOT NULL,
    PRIMARY KEY (space_id, term)
);

INSERT INTO schema_version (version) VALUES (1) ON CONFLICT DO NOTHING;
