-- The ids of published persons, alone in their own index. A public case
-- page's lookup (`WHERE id = $1 AND publish`) is answered from it: an
-- unpublished id is as absent from it as an unknown one, so both cost the
-- same index probe and neither reads a heap tuple. Through the full id
-- index, an unpublished id would cost one more read (its row, to find
-- `publish` false), which a stopwatch can see.
CREATE UNIQUE INDEX persons_published_id ON persons (id) WHERE publish;
