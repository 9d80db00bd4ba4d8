-- Issue 19, "People who are moderated are told".
-- A post deleted by a facilitator (a review decision, or a held post refused) keeps the facilitator's reason; a post
-- its author deleted has none. The author of an anonymous post finds it by recomputing their pseudonyms, as replies to
-- their anonymous posts are found: nothing stored ties them to it (docs/security/anonymity.md).
alter table post add column deleted_reason text;
-- The reason a facilitator gave, as the author of a named post was told it (the notification's sentence is detail).
alter table notification add column reason text;
