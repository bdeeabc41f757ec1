// async-validator (behind Element Plus forms) prints every failed rule outside production;
// the tests assert the messages the form shows instead.
;(globalThis as Record<string, unknown>).ASYNC_VALIDATOR_NO_WARNING = 1
