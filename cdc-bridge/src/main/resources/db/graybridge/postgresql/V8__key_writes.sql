-- Delete convergence (ARCHITECTURE.md, "Conflicts"): what a lane knows of its source side's own application writes.
-- Lane S -> O writes, on O, per source table and key it captured, the commit position of S's last application write
-- of the key, in the same transaction as the rows and the lane's offset; the reverse lane (O -> S) reads it to tell
-- whether an incoming change and S's write were concurrent. key_hash is the SHA-256 of the table name and the key's
-- text (apply.KeyText), so the primary key has one shape on every engine.
CREATE TABLE key_write (
    bridge         text        NOT NULL,
    lane           text        NOT NULL,
    key_hash       bytea       NOT NULL,
    table_name     text        NOT NULL,   -- the source table (unqualified)
    row_key        text        NOT NULL,   -- the key's text, for people
    write_position bigint      NOT NULL,   -- commit position on the source (capture.SourcePositions)
    tombstone      boolean     NOT NULL,   -- the write deleted the row
    stamp          timestamptz,            -- the write's commit time
    PRIMARY KEY (bridge, lane, key_hash)
);
