-- When a channel last sent a test notification: "send test" waits a cooldown per channel.
ALTER TABLE notification_channels ADD COLUMN last_test_at timestamptz(3);

-- Earlier workers stored the first 200 characters of a failing receiver's answer in the
-- attempt log, shown back to the workspace (a receiver on an internal address could answer
-- with anything it holds). Keep only the status, in the words the worker now uses.
UPDATE notification_attempts SET error = regexp_replace(error, '^HTTP ([0-9]{3}).*$', 'receiver answered \1')
WHERE error LIKE 'HTTP %';
UPDATE notification_deliveries SET last_error = regexp_replace(last_error, '^HTTP ([0-9]{3}).*$', 'receiver answered \1')
WHERE last_error LIKE 'HTTP %';
