//go:build race

package content_test

// formatTestRace is set under the race detector, which makes the tests of
// huge files slow (tens of seconds) without testing anything concurrent.
const formatTestRace = true
