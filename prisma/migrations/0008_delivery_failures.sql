-- Failed notification deliveries are rare; this index lets `/metrics` count the recent ones at
-- every scrape without reading the whole delivery log.
CREATE INDEX notification_deliveries_failed_idx ON notification_deliveries (created_at) WHERE status = 'failed';
