-- Login and sign-up rate limiting for the web app's auth library: one row per (client, path)
-- bucket, shared by every web process so limits hold behind a load balancer.
CREATE TABLE rate_limits (
  id           text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  key          text NOT NULL UNIQUE,
  count        integer NOT NULL,
  last_request bigint NOT NULL
);
CREATE INDEX rate_limits_last_request_idx ON rate_limits (last_request);
