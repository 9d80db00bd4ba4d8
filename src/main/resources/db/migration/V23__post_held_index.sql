-- The review queue and its count in the menu (moderation/ReviewQueue) start from the posts held for approval and the
-- posts with open flags. Open flags have their index (V5, flag_open_idx); held posts had none, so finding them read
-- every post. Held posts are few (anonymous posts in channels that hold them, until a facilitator decides).
create index post_held_idx on post (id) where held;
