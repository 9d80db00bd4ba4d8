-- Issue 19, faces: the picture the identity provider gives a member (the OIDC "picture" claim), kept at login when it
-- is an https address of an allowed origin (roundtable.members.picture-origins); null otherwise. Never for pseudonyms:
-- anonymous posts show one neutral mark.
alter table member add column picture text;
