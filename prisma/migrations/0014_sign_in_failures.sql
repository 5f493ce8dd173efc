-- Failed sign-ins per account (the email as typed, lower-cased; whether or not a user has it),
-- for the web app's per-account backoff: after a few failures the address is locked for
-- windows that double with each further failure, wherever the guesses come from. A successful
-- sign-in or password reset deletes the row.
CREATE TABLE sign_in_failures (
  email           text PRIMARY KEY,
  failures        integer NOT NULL,
  last_failure_at timestamptz(3) NOT NULL,
  locked_until    timestamptz(3)
);
CREATE INDEX sign_in_failures_last_failure_idx ON sign_in_failures (last_failure_at);
