-- Page sessions kept on the server (security/WebSessions, docs/security/model.md "Sessions"): the browser's session
-- cookie holds only a random id; logging out deletes the row, so a copied cookie stops working at once, on every
-- instance. The id itself is never stored, only its SHA-256: a copy of this table opens no session.
create table web_session (
    id_hash    text        primary key,   -- SHA-256 of the cookie's value, in hex
    subject    text        not null,     -- Keycloak "sub" of the member (to end all of a member's sessions)
    sid        text,                     -- Keycloak's session id ("sid" of the ID token), for a later back-channel logout
    id_token   text        not null,     -- verified on every request, as quarkus-oidc does with a cookie
    refresh_token bytea,                 -- Keycloak's refresh token, AES-GCM under a key derived from the tokens secret
    created_at timestamptz not null default now(),
    expires_at timestamptz not null      -- when the ID token expires (the cookie's own max-age)
);

-- Expired rows are deleted a few at a time by each new login (WebSessions.create); an operator may also run
-- "delete from web_session where expires_at < now()" at any time.
create index web_session_expires_idx on web_session (expires_at);
create index web_session_subject_idx on web_session (subject);
