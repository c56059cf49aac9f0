-- Evidence suggestion reads every position in a time window around an incident. Partition pruning
-- narrows that to a day or two; a BRIN index on observed_at narrows it to the blocks of the window.
-- Positions arrive roughly in time order, so the summary stays tight, and it costs the track writer
-- next to nothing (a B-tree here would be maintained on every one of ~100k inserts a second).
-- Created on the partitioned parent, it is created on every partition, and on each one attached later.
CREATE INDEX track_positions_observed_brin ON track_positions USING brin (observed_at);
