/** How long an AWS request may take: no SDK here, so `--help` can name the defaults without loading it. */

/** Long enough for a slow 1,000-key DeleteObjects or a policy-simulator page, short enough to notice a dead endpoint. */
export const DEFAULT_TIMEOUT_SECONDS = 30;
/** Overrides the default timeout (seconds) when no `--timeout` is given. */
export const TIMEOUT_ENV = "STACKSTATE_AWS_TIMEOUT";
