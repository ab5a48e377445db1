-- Failed requests per address and bucket (login, launch, registration, admin_api) in a fixed
-- window, in the database so that every instance counts against the same limit. Only failures are
-- counted: a school behind one NAT address launching valid requests never adds a row.
create table rate_limit_failures (
  bucket text not null,
  key text not null,
  window_start timestamptz not null default now(),
  failures integer not null default 1,
  primary key (bucket, key)
);

create index rate_limit_failures_window on rate_limit_failures (window_start);
